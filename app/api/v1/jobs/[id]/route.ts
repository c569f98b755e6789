import { jobNotFoundMessage, ownedJob } from '@/lib/api/jobs';
import { apiKeyRoute } from '@/lib/auth/api-key-route';
import { parseParams } from '@/lib/http';
import { jobParams } from './schema';

export const runtime = 'nodejs';

type Params = { params: Promise<{ id: string }> };

// GET /api/v1/jobs/:id – the caller's video, recording, batch or comparison job: its state and, as they come, its results
export function GET(request: Request, { params }: Params) {
  return apiKeyRoute(request, 'GET /api/v1/jobs/{id}', async (caller) => {
    const { id } = await parseParams(params, jobParams, jobNotFoundMessage);
    return Response.json(await ownedJob(caller.id, id), { headers: { 'cache-control': 'no-store' } });
  });
}

// Any other method – 405 in the API's error shape
export { methodNotAllowed as POST, methodNotAllowed as PUT, methodNotAllowed as PATCH, methodNotAllowed as DELETE } from '@/lib/api/methods';
