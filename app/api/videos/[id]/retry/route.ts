import { enforceRateLimit } from '@/lib/auth/rate-limit';
import { requireUser } from '@/lib/auth/session';
import { errorResponse, notFoundMessage } from '@/lib/errors';
import { parseParams } from '@/lib/http';
import { retryProcessing } from '@/lib/jobs/control';
import { actOnOwnedVideo } from '@/lib/video/control';
import { videoParams } from '../schema';

export const runtime = 'nodejs';

type Params = { params: Promise<{ id: string }> };

// POST /api/videos/:id/retry – process the caller's failed or canceled video again, from where it stopped
export async function POST(_request: Request, { params }: Params) {
  try {
    const { id } = await parseParams(params, videoParams, notFoundMessage.video);
    const userId = await requireUser();
    await enforceRateLimit('jobs', userId);
    return Response.json(await actOnOwnedVideo(userId, id, retryProcessing));
  } catch (error) {
    return errorResponse(error);
  }
}
