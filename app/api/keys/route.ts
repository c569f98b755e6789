import { createApiKey, listApiKeys } from '@/lib/auth/api-keys';
import { requireCaller, requireUser } from '@/lib/auth/session';
import { parseJson, route } from '@/lib/http';
import { createKeySchema } from './schema';

export const runtime = 'nodejs';

// GET /api/keys – the caller's API keys (never the keys themselves), active first, with their requests in the last 30 days
export const GET = route(async () => {
  const caller = await requireCaller();
  // A guest cannot have made any.
  return Response.json({ keys: caller.type === 'guest' ? [] : await listApiKeys(caller.id) });
});

// POST /api/keys – a new key for the caller's account; the only time the key itself is ever sent
export const POST = route(async (request: Request) => {
  const userId = await requireUser();
  const { name } = await parseJson(request, createKeySchema);
  const { key, record } = await createApiKey(userId, name);
  return Response.json({ key, apiKey: record }, { status: 201, headers: { 'Cache-Control': 'no-store' } });
});
