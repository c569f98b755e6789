import { apiKeyNotFound, revokeApiKey } from '@/lib/auth/api-keys';
import { requireUser } from '@/lib/auth/session';
import { errorResponse } from '@/lib/errors';
import { parseParams } from '@/lib/http';
import { paramsSchema } from './schema';

export const runtime = 'nodejs';

// DELETE /api/keys/:id – revoke the caller's key: requests with it are refused from now on
export async function DELETE(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    const { id } = await parseParams(params, paramsSchema, apiKeyNotFound);
    const userId = await requireUser();
    return Response.json({ apiKey: await revokeApiKey(userId, id) });
  } catch (error) {
    return errorResponse(error);
  }
}
