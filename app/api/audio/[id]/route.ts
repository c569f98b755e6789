import { ownedAudioView } from '@/lib/audio/control';
import { requireUser } from '@/lib/auth/session';
import { errorResponse, notFoundMessage } from '@/lib/errors';
import { parseParams } from '@/lib/http';
import { audioParams } from './schema';

export const runtime = 'nodejs';

type Params = { params: Promise<{ id: string }> };

// GET /api/audio/:id – the caller's recording: processing state, transcript and the translations asked for
export async function GET(_request: Request, { params }: Params) {
  try {
    const { id } = await parseParams(params, audioParams, notFoundMessage.recording);
    const userId = await requireUser();
    return Response.json(await ownedAudioView(userId, id), { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}
