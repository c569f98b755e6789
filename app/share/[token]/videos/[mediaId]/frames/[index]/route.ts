import { getSharedVideoFrame } from '@/lib/db/share-links';
import { AppError, notFoundMessage } from '@/lib/errors';
import { parseParams, route } from '@/lib/http';
import { getBlobStore } from '@/lib/storage';
import { sharedFrameParams } from '../../schema';

export const runtime = 'nodejs';

type Params = { params: Promise<{ token: string; mediaId: string; index: string }> };

// GET /share/:token/videos/:mediaId/frames/:index – one scene's thumbnail of a shared video, while its link is live
// Frames are ffmpeg re-encodes of single pictures: they carry none of the original file's metadata.
export const GET = route(async (request: Request, { params }: Params) => {
  const { token, mediaId, index } = await parseParams(params, sharedFrameParams, notFoundMessage.video);
  // No session involved: the token is the permission, for anyone who has it.
  const shared = await getSharedVideoFrame(token, mediaId, index);
  if (!shared) throw new AppError('not_found', notFoundMessage.video);
  const { media, frame } = shared;

  // As the shared image route: revalidated on every view (no max-age) so a revoked link stops
  // showing frames at once, never `public`. The ETag names the video's content, the frame's place
  // and its picture (perceptual hash and time), which change together with the stored JPEG.
  const etag = `"${media.sha256}-f${frame.index}-${frame.hash}-${frame.timeMs}"`;
  const headers: Record<string, string> = {
    'content-type': 'image/jpeg',
    'cache-control': 'private, no-cache',
    etag,
    'x-content-type-options': 'nosniff',
  };
  if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
  const data = await getBlobStore().get(frame.thumbKey);
  if (!data) throw new Error(`frame blob missing: ${frame.thumbKey}`);
  return new Response(new Uint8Array(data), { headers });
});
