import { comparisonEventsResponse } from '@/lib/api/comparison-job';
import { jobNotFoundMessage, ownedJob } from '@/lib/api/jobs';
import { apiKeyRoute } from '@/lib/auth/api-key-route';
import { batchEventsResponse } from '@/lib/batch/events';
import { countFrames } from '@/lib/db/video-jobs';
import { parseParams } from '@/lib/http';
import { jobEventsResponse } from '@/lib/jobs/events';
import { jobParams } from '../schema';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';
export const maxDuration = 300;

type Params = { params: Promise<{ id: string }> };

// GET /api/v1/jobs/:id/events – the caller's job progress as Server-Sent Events until it ends (the same streams the app's pages follow)
export function GET(request: Request, { params }: Params) {
  return apiKeyRoute(request, 'GET /api/v1/jobs/{id}/events', async (caller) => {
    const { id } = await parseParams(params, jobParams, jobNotFoundMessage);
    const job = await ownedJob(caller.id, id);
    if (job.kind === 'batch') return batchEventsResponse(request, id);
    if (job.kind === 'comparison') return comparisonEventsResponse(request, caller.id, id);
    return jobEventsResponse(request, id, job.kind === 'video' ? async () => ({ scenes: await countFrames(id) }) : undefined);
  });
}

// Any other method – 405 in the API's error shape
export { methodNotAllowed as POST, methodNotAllowed as PUT, methodNotAllowed as PATCH, methodNotAllowed as DELETE } from '@/lib/api/methods';
