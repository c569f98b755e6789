import { currentUserId, requireUser } from '@/lib/auth/session';
import { getOwnedMedia } from '@/lib/db/media';
import { AppError, errorResponse, notFoundMessage } from '@/lib/errors';
import { attachmentDisposition, parseParams } from '@/lib/http';
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
