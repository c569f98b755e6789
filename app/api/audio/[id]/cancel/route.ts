import { actOnOwnedAudio } from '@/lib/audio/control';
import { enforceRateLimit } from '@/lib/auth/rate-limit';
import { requireUser } from '@/lib/auth/session';
import { errorResponse, notFoundMessage } from '@/lib/errors';
import { parseParams } from '@/lib/http';
import { cancelProcessing } from '@/lib/jobs/control';
import { audioParams } from '../schema';

export const runtime = 'nodejs';

type Params = { params: Promise<{ id: string }> };

// POST /api/audio/:id/cancel – stop transcribing the caller's recording (it can be retried later)
export async function POST(_request: Request, { params }: Params) {
  try {
    const { id } = await parseParams(params, audioParams, notFoundMessage.recording);
    const userId = await requireUser();
    await enforceRateLimit('jobs', userId);
    return Response.json(await actOnOwnedAudio(userId, id, cancelProcessing));
  } catch (error) {
    return errorResponse(error);
  }
}
