import { requireUser } from '@/lib/auth/session';
import { countFrames, getOwnedVideo } from '@/lib/db/video-jobs';
import { AppError, notFoundMessage } from '@/lib/errors';
import { parseParams, route } from '@/lib/http';
import { jobEventsResponse } from '@/lib/jobs/events';
import { videoParams } from '../schema';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ id: string }> };

// GET /api/videos/:id/events – processing progress (and the scene count) as Server-Sent Events, until the job ends
export const GET = route(async (request: Request, { params }: Params) => {
  const { id } = await parseParams(params, videoParams, notFoundMessage.video);
  const userId = await requireUser();
  if (!(await getOwnedVideo(userId, id))) throw new AppError('not_found', notFoundMessage.video);
  return jobEventsResponse(request, id, async () => ({ scenes: await countFrames(id) }));
});
