import { requireAdminOr404 } from '@/lib/auth/admin';
import { mediaForAdmin } from '@/lib/db/admin';
import { AppError, notFoundMessage } from '@/lib/errors';
import { idParams } from '@/lib/http-schemas';
import { parseParams, route } from '@/lib/http';
import { getBlobStore } from '@/lib/storage';
import { serveBlob } from '@/lib/storage/serve';
import { playbackContentType } from '@/lib/uploads/content-blobs';

export const runtime = 'nodejs';

// GET /admin/media/:id – an upload's preview for the admin console, or with ?stream=1 a video's or recording's
// metadata-free playback copy (admins only; the conversation view that shows it is audited)
export const GET = route(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await parseParams(params, idParams, notFoundMessage.image);
  const admin = await requireAdminOr404(notFoundMessage.image);
  const media = await mediaForAdmin(admin, id);
  if (!media) throw new AppError('not_found', notFoundMessage.image);
  if (new URL(request.url).searchParams.get('stream') === '1') {
    if (!media.playbackKey) throw new AppError('not_found', notFoundMessage.image);
    return await serveBlob(request, media.playbackKey, { contentType: playbackContentType(media.kind), cacheControl: 'private, no-store' });
  }
  const data = await getBlobStore().get(media.previewKey);
  if (!data) throw new AppError('not_found', notFoundMessage.image);
  return new Response(new Uint8Array(data), { headers: { 'content-type': 'image/webp', 'cache-control': 'private, no-store' } });
});
