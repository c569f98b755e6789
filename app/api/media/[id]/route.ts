import { currentUserId, requireUser } from '@/lib/auth/session';
import { getOwnedMedia } from '@/lib/db/media';
import { AppError, notFoundMessage } from '@/lib/errors';
import { attachmentDisposition, parseParams, route } from '@/lib/http';
import { getBlobStore } from '@/lib/storage';
import { serveBlob } from '@/lib/storage/serve';
import { playbackContentType } from '@/lib/uploads/content-blobs';
import { withdrawUpload } from '@/lib/uploads/image';
import { mediaParams } from './schema';

export const runtime = 'nodejs';

type Params = { params: Promise<{ id: string }> };
const notFound = () => new AppError('not_found', notFoundMessage.image);

// GET /api/media/:id – the caller's image, video or recording: a preview (poster, waveform) by default, the untouched
// original with ?original=1 (a download), a video's or recording's bytes for the player with ?stream=1 (Range requests honoured)
export const GET = route(async (request: Request, { params }: Params) => {
  const { id } = await parseParams(params, mediaParams, notFoundMessage.image);
  const query = new URL(request.url).searchParams;
  const userId = await currentUserId();
  const media = userId ? await getOwnedMedia(userId, id) : null;
  if (!media) throw notFound();

  const immutable = 'private, max-age=31536000, immutable';
  if (query.get('original') === '1') {
    return await serveBlob(request, media.originalKey, { contentType: media.mediaType, cacheControl: immutable, disposition: attachmentDisposition(media.filename) });
  }
  if (query.get('stream') === '1' && media.kind !== 'image') {
    // The playback copy once it exists (every browser plays it); until then the original.
    const key = media.playbackKey ?? media.originalKey;
    return await serveBlob(request, key, { contentType: media.playbackKey ? playbackContentType(media.kind) : media.mediaType, cacheControl: media.playbackKey ? immutable : 'private, no-cache' });
  }
  const data = await getBlobStore().get(media.previewKey);
  if (!data) throw new Error(`blob missing for media ${media.id}`);
  return new Response(new Uint8Array(data), {
    headers: { 'content-type': 'image/webp', 'cache-control': 'private, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' },
  });
});

// DELETE /api/media/:id – withdraw an image from the composer before it was sent
export const DELETE = route(async (_request: Request, { params }: Params) => {
  const { id } = await parseParams(params, mediaParams, notFoundMessage.image);
  const userId = await requireUser();
  const media = await getOwnedMedia(userId, id);
  if (!media) throw notFound();
  if (media.conversationId) throw new AppError('conflict', 'This file is part of a conversation and cannot be removed on its own.');
  await withdrawUpload(userId, media);
  return new Response(null, { status: 204 });
});
