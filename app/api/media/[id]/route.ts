import { currentUserId, requireUser } from '@/lib/auth/session';
import { deleteUnsentMedia, getOwnedMedia } from '@/lib/db/media';
import { AppError, errorResponse } from '@/lib/errors';
import { getBlobStore } from '@/lib/storage';
import { removeUnreferenced } from '@/lib/uploads/image';

export const runtime = 'nodejs';

type Params = { params: Promise<{ id: string }> };
const notFound = () => new AppError('not_found', 'This image does not exist.');
const isUuid = (id: string) => /^[0-9a-f-]{36}$/.test(id);

// GET /api/media/:id – the caller's image: a preview by default, the untouched original with ?original=1
export async function GET(request: Request, { params }: Params) {
  try {
    const { id } = await params;
    const userId = await currentUserId();
    const media = userId && isUuid(id) ? await getOwnedMedia(userId, id) : null;
    if (!media) throw notFound();

    const original = new URL(request.url).searchParams.get('original') === '1';
    const data = await getBlobStore().get(original ? media.originalKey : media.previewKey);
    if (!data) throw new Error(`blob missing for media ${media.id}`);
    const headers: Record<string, string> = {
      'content-type': original ? media.mediaType : 'image/webp',
      'cache-control': 'private, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
    };
    if (original) headers['content-disposition'] = `attachment; filename*=UTF-8''${encodeURIComponent(media.filename)}`;
    return new Response(new Uint8Array(data), { headers });
  } catch (error) {
    return errorResponse(error);
  }
}

// DELETE /api/media/:id – withdraw an image from the composer before it was sent
export async function DELETE(_request: Request, { params }: Params) {
  try {
    const { id } = await params;
    const userId = await requireUser();
    const media = isUuid(id) ? await getOwnedMedia(userId, id) : null;
    if (!media) throw notFound();
    if (media.conversationId) throw new AppError('conflict', 'This image is part of a conversation and cannot be removed on its own.');
    await deleteUnsentMedia(userId, id);
    await removeUnreferenced([media.originalKey, media.previewKey]);
    return new Response(null, { status: 204 });
  } catch (error) {
    return errorResponse(error);
  }
}
