import { actOnOwnedAudio } from '@/lib/audio/control';
import { enforceRateLimit } from '@/lib/auth/rate-limit';
import { requireUser } from '@/lib/auth/session';
import { errorResponse, notFoundMessage } from '@/lib/errors';
import { parseParams } from '@/lib/http';
import { retryProcessing } from '@/lib/jobs/control';
import { audioParams } from '../schema';

export const runtime = 'nodejs';

type Params = { params: Promise<{ id: string }> };

// POST /api/audio/:id/retry – process the caller's failed or canceled recording again, resuming where it stopped
export async function POST(_request: Request, { params }: Params) {
  try {
    const { id } = await parseParams(params, audioParams, notFoundMessage.recording);
    const userId = await requireUser();
    await enforceRateLimit('jobs', userId);
    return Response.json(await actOnOwnedAudio(userId, id, retryProcessing));
  } catch (error) {
    return errorResponse(error);
  }
}
