import { apiKeyNotFound, revokeApiKey } from '@/lib/auth/api-keys';
import { requireUser } from '@/lib/auth/session';
import { parseParams, route } from '@/lib/http';
import { paramsSchema } from './schema';

export const runtime = 'nodejs';

// DELETE /api/keys/:id – revoke the caller's key: requests with it are refused from now on
export const DELETE = route(async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await parseParams(params, paramsSchema, apiKeyNotFound);
  const userId = await requireUser();
  return Response.json({ apiKey: await revokeApiKey(userId, id) });
});
