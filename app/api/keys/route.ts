import { createApiKey, listApiKeys } from '@/lib/auth/api-keys';
import { requireCaller, requireUser } from '@/lib/auth/session';
import { errorResponse } from '@/lib/errors';
import { parseJson } from '@/lib/http';
import { createKeySchema } from './schema';

export const runtime = 'nodejs';

// GET /api/keys – the caller's API keys (never the keys themselves), active first, with their requests in the last 30 days
export async function GET() {
  try {
    const caller = await requireCaller();
    // A guest cannot have made any.
    return Response.json({ keys: caller.type === 'guest' ? [] : await listApiKeys(caller.id) });
  } catch (error) {
    return errorResponse(error);
  }
}

// POST /api/keys – a new key for the caller's account; the only time the key itself is ever sent
export async function POST(request: Request) {
  try {
    const { name } = await parseJson(request, createKeySchema);
    const userId = await requireUser();
    const { key, record } = await createApiKey(userId, name);
    return Response.json({ key, apiKey: record }, { status: 201, headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}
