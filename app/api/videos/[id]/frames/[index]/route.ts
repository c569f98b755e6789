import { requireUser } from '@/lib/auth/session';
import { getOwnedFrame } from '@/lib/db/video-jobs';
import { AppError, notFoundMessage } from '@/lib/errors';
import { parseParams, route } from '@/lib/http';
import { getBlobStore } from '@/lib/storage';
import { frameParams } from '../../schema';

export const runtime = 'nodejs';

type Params = { params: Promise<{ id: string; index: string }> };

// GET /api/videos/:id/frames/:index – the thumbnail of one scene of the caller's video
export const GET = route(async (_request: Request, { params }: Params) => {
  const { id, index } = await parseParams(params, frameParams, notFoundMessage.video);
  const userId = await requireUser();
  const frame = await getOwnedFrame(userId, id, index);
  if (!frame) throw new AppError('not_found', notFoundMessage.video);
  const data = await getBlobStore().get(frame.thumbKey);
  if (!data) throw new Error(`frame blob missing: ${frame.thumbKey}`);
  return new Response(new Uint8Array(data), {
    headers: { 'content-type': 'image/jpeg', 'cache-control': 'private, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' },
  });
});
