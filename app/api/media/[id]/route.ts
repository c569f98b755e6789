import { currentUserId, requireUser } from '@/lib/auth/session';
import { getOwnedMedia } from '@/lib/db/media';
import { AppError, errorResponse, notFoundMessage } from '@/lib/errors';
import { parseParams } from '@/lib/http';
import { getBlobStore } from '@/lib/storage';
import { withdrawUpload } from '@/lib/uploads/image';
import { mediaParams } from './schema';

export const runtime = 'nodejs';

type Params = { params: Promise<{ id: string }> };
const notFound = () => new AppError('not_found', notFoundMessage.image);

// GET /api/media/:id – the caller's image: a preview by default, the untouched original with ?original=1
export async function GET(request: Request, { params }: Params) {
  try {
    const { id } = await parseParams(params, mediaParams, notFoundMessage.image);
    const original = new URL(request.url).searchParams.get('original') === '1';
    const userId = await currentUserId();
    const media = userId ? await getOwnedMedia(userId, id) : null;
    if (!media) throw notFound();

    const data = await getBlobStore().get(original ? media.originalKey : media.previewKey);
    if (!data) throw new Error(`blob missing for media ${media.id}`);
    const headers: Record<string, string> = {
      'content-type': original ? media.mediaType : 'image/webp',
      'cache-control': 'private, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
    };
    if (original) headers['content-disposition'] = attachmentDisposition(media.filename);
    return new Response(new Uint8Array(data), { headers });
  } catch (error) {
    return errorResponse(error);
  }
}

// DELETE /api/media/:id – withdraw an image from the composer before it was sent
export async function DELETE(_request: Request, { params }: Params) {
  try {
    const { id } = await parseParams(params, mediaParams, notFoundMessage.image);
    const userId = await requireUser();
    const media = await getOwnedMedia(userId, id);
    if (!media) throw notFound();
    if (media.conversationId) throw new AppError('conflict', 'This image is part of a conversation and cannot be removed on its own.');
    await withdrawUpload(userId, media);
    return new Response(null, { status: 204 });
  } catch (error) {
    return errorResponse(error);
  }
}

/**
 * `attachment` with the name twice: `filename*` (RFC 8187: UTF-8, percent-encoded, which
 * encodeURIComponent nearly is — it leaves ' ( ) * alone) for every current browser, and a plain
 * ASCII `filename` fallback in which anything that could break the quoted string is replaced.
 */
function attachmentDisposition(filename: string): string {
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%;]/g, '_') || 'image';
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
