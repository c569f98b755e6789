import { currentUser } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import { AppError, errorResponse, notFoundMessage } from '@/lib/errors';
import { idParams } from '@/lib/http-schemas';
import { parseParams } from '@/lib/http';
import { getBlobStore } from '@/lib/storage';

export const runtime = 'nodejs';

// GET /admin/media/:id – an image's preview for the admin console (admins only; the conversation view that shows it is audited)
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    const { id } = await parseParams(params, idParams, notFoundMessage.image);
    const user = await currentUser();
    if (!user || user.role !== 'admin' || user.isAnonymous) throw new AppError('not_found', notFoundMessage.image);
    const media = await db().media.findUnique({ where: { id } });
    const data = media && (await getBlobStore().get(media.previewKey));
    if (!data) throw new AppError('not_found', notFoundMessage.image);
    return new Response(new Uint8Array(data), { headers: { 'content-type': 'image/webp', 'cache-control': 'private, no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}
