import { requireUser } from '@/lib/auth/session';
import { framesOf, getOwnedVideo } from '@/lib/db/video-jobs';
import { AppError, errorResponse, notFoundMessage } from '@/lib/errors';
import { parseParams } from '@/lib/http';
import { retryVideo } from '@/lib/video/control';
import { videoView } from '@/lib/video/view';
import { videoParams } from '../schema';

export const runtime = 'nodejs';

type Params = { params: Promise<{ id: string }> };

// POST /api/videos/:id/retry – process the caller's failed or canceled video again, from where it stopped
export async function POST(_request: Request, { params }: Params) {
  try {
    const { id } = await parseParams(params, videoParams, notFoundMessage.video);
    const userId = await requireUser();
    if (!(await getOwnedVideo(userId, id))) throw new AppError('not_found', notFoundMessage.video);
    await retryVideo(id);
    return Response.json(videoView((await getOwnedVideo(userId, id))!, await framesOf(id)));
  } catch (error) {
    return errorResponse(error);
  }
}
