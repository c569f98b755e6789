import { requireAdminOr404 } from '@/lib/auth/admin';
import { videoFrameForAdmin } from '@/lib/db/admin';
import { AppError, notFoundMessage } from '@/lib/errors';
import { parseParams, route } from '@/lib/http';
import { getBlobStore } from '@/lib/storage';
import { frameParams } from './schema';

export const runtime = 'nodejs';

// GET /admin/media/:id/frames/:index – one scene's thumbnail of someone's video, for the admin console (admins only)
export const GET = route(async (_request: Request, { params }: { params: Promise<{ id: string; index: string }> }) => {
  const { id, index } = await parseParams(params, frameParams, notFoundMessage.video);
  const admin = await requireAdminOr404(notFoundMessage.video);
  const frame = await videoFrameForAdmin(admin, id, index);
  const data = frame && (await getBlobStore().get(frame.thumbKey));
  if (!data) throw new AppError('not_found', notFoundMessage.video);
  return new Response(new Uint8Array(data), { headers: { 'content-type': 'image/jpeg', 'cache-control': 'private, no-store', 'x-content-type-options': 'nosniff' } });
});
