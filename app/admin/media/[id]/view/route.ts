import { adminMediaView } from '@/lib/admin/media-view';
import { requireAdminOr404 } from '@/lib/auth/admin';
import { recordAudit } from '@/lib/db/audit';
import { mediaForAdmin } from '@/lib/db/admin';
import { AppError, notFoundMessage } from '@/lib/errors';
import { idParams } from '@/lib/http-schemas';
import { parseParams, route } from '@/lib/http';

export const runtime = 'nodejs';

// GET /admin/media/:id/view – a video's timeline or a recording's transcript, read-only, for the admin console (admins only)
export const GET = route(async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await parseParams(params, idParams, notFoundMessage.video);
  const admin = await requireAdminOr404(notFoundMessage.video);
  const media = await mediaForAdmin(admin, id);
  const view = media && (await adminMediaView(media));
  if (!view) throw new AppError('not_found', notFoundMessage.video);
  await recordAudit({ actorId: admin.id, action: 'view_media', targetType: 'media', targetId: id });
  return Response.json(view, { headers: { 'cache-control': 'private, no-store' } });
});
