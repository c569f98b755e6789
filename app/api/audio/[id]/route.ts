import { ownedAudioView } from '@/lib/audio/control';
import { requireUser } from '@/lib/auth/session';
import { notFoundMessage } from '@/lib/errors';
import { parseParams, route } from '@/lib/http';
import { audioParams } from './schema';

export const runtime = 'nodejs';

type Params = { params: Promise<{ id: string }> };

// GET /api/audio/:id – the caller's recording: processing state, transcript and the translations asked for
export const GET = route(async (_request: Request, { params }: Params) => {
  const { id } = await parseParams(params, audioParams, notFoundMessage.recording);
  const userId = await requireUser();
  return Response.json(await ownedAudioView(userId, id), { headers: { 'cache-control': 'no-store' } });
});
