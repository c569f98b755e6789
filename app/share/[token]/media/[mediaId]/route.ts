import { getSharedMedia } from '@/lib/db/share-links';
import { AppError, notFoundMessage } from '@/lib/errors';
import { parseParams, route } from '@/lib/http';
import { getBlobStore } from '@/lib/storage';
import { serveBlob } from '@/lib/storage/serve';
import { playbackContentType } from '@/lib/uploads/content-blobs';
import { paramsSchema } from './schema';

export const runtime = 'nodejs';

type Params = { params: Promise<{ token: string; mediaId: string }> };

// GET /share/:token/media/:mediaId – an image (a video's poster, a recording's waveform) of a shared conversation while its link is live; ?stream=1 plays a video's or recording's playback copy
// Viewers get the preview only: it is re-encoded without metadata, whereas the untouched original
// may carry the owner's GPS position.
export const GET = route(async (request: Request, { params }: Params) => {
  const { token, mediaId } = await parseParams(params, paramsSchema, notFoundMessage.image);
  // No session involved: the token is the permission, for anyone who has it.
  const media = await getSharedMedia(token, mediaId);
  if (!media) throw new AppError('not_found', notFoundMessage.image);

  if (new URL(request.url).searchParams.get('stream') === '1') {
    // The metadata-free playback copy only; the original (which may say where it was filmed, or whose it is) never.
    if (media.kind === 'image' || !media.playbackKey) throw new AppError('not_found', notFoundMessage.image);
    return await serveBlob(request, media.playbackKey, { contentType: playbackContentType(media.kind), cacheControl: 'private, no-store' });
  }

  // Revalidated on every view (no max-age) so a revoked link stops showing its images at once; the
  // ETag (content hash) keeps that revalidation cheap. Never `public`: a shared cache would outlive a revoke.
  const etag = `"${media.sha256}-p"`;
  const headers: Record<string, string> = {
    'content-type': 'image/webp',
    'cache-control': 'private, no-cache',
    etag,
    'x-content-type-options': 'nosniff',
  };
  if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
  const data = await getBlobStore().get(media.previewKey);
  if (!data) throw new Error(`blob missing for media ${media.id}`);
  return new Response(new Uint8Array(data), { headers });
});
