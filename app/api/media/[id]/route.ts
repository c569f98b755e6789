import { currentUserId, requireUser } from '@/lib/auth/session';
import { getOwnedMedia } from '@/lib/db/media';
import { AppError, errorResponse, notFoundMessage } from '@/lib/errors';
import { attachmentDisposition, parseParams } from '@/lib/http';
import { getBlobStore } from '@/lib/storage';
import type { Media } from '@/lib/generated/prisma/client';
import { withdrawUpload } from '@/lib/uploads/image';
import { mediaParams } from './schema';

export const runtime = 'nodejs';

type Params = { params: Promise<{ id: string }> };
const notFound = () => new AppError('not_found', notFoundMessage.image);

// GET /api/media/:id – the caller's image or video: a preview (poster) by default, the untouched original with
// ?original=1 (a download), a video's bytes for the player with ?stream=1 (Range requests honoured)
export async function GET(request: Request, { params }: Params) {
  try {
    const { id } = await parseParams(params, mediaParams, notFoundMessage.image);
    const query = new URL(request.url).searchParams;
    const userId = await currentUserId();
    const media = userId ? await getOwnedMedia(userId, id) : null;
    if (!media) throw notFound();

    if (query.get('original') === '1' || (query.get('stream') === '1' && media.kind === 'video')) {
      return await streamOriginal(request, media, query.get('original') === '1');
    }
    const data = await getBlobStore().get(media.previewKey);
    if (!data) throw new Error(`blob missing for media ${media.id}`);
    return new Response(new Uint8Array(data), {
      headers: { 'content-type': 'image/webp', 'cache-control': 'private, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' },
    });
  } catch (error) {
    return errorResponse(error);
  }
}

/** The original as a stream, never whole in memory: a video can be gigabytes, and players ask for ranges. */
async function streamOriginal(request: Request, media: Media, download: boolean): Promise<Response> {
  const range = parseRange(request.headers.get('range'));
  const blob = await getBlobStore().read(media.originalKey, range ?? undefined);
  if (!blob) throw new Error(`blob missing for media ${media.id}`);
  if (range && range.start >= blob.size) {
    await blob.stream.cancel();
    return new Response(null, { status: 416, headers: { 'content-range': `bytes */${blob.size}` } });
  }
  const headers: Record<string, string> = {
    'content-type': media.mediaType,
    'content-length': String(blob.end - blob.start + 1),
    'accept-ranges': 'bytes',
    'cache-control': 'private, max-age=31536000, immutable',
    'x-content-type-options': 'nosniff',
  };
  if (download) headers['content-disposition'] = attachmentDisposition(media.filename);
  if (!range) return new Response(blob.stream, { headers });
  headers['content-range'] = `bytes ${blob.start}-${blob.end}/${blob.size}`;
  return new Response(blob.stream, { status: 206, headers });
}

/** One `bytes=start-end` range (what players send); anything else is served whole, as HTTP allows. */
function parseRange(header: string | null): { start: number; end?: number } | null {
  const match = /^bytes=(\d+)-(\d*)$/.exec(header?.trim() ?? '');
  if (!match) return null;
  const start = Number(match[1]);
  const end = match[2] ? Number(match[2]) : undefined;
  if (end !== undefined && end < start) return null;
  return { start, end };
}

// DELETE /api/media/:id – withdraw an image from the composer before it was sent
export async function DELETE(_request: Request, { params }: Params) {
  try {
    const { id } = await parseParams(params, mediaParams, notFoundMessage.image);
    const userId = await requireUser();
    const media = await getOwnedMedia(userId, id);
    if (!media) throw notFound();
    if (media.conversationId) throw new AppError('conflict', 'This file is part of a conversation and cannot be removed on its own.');
    await withdrawUpload(userId, media);
    return new Response(null, { status: 204 });
  } catch (error) {
    return errorResponse(error);
  }
}
