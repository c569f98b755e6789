import { requireUser } from '@/lib/auth/session';
import { getShareLink, revokeShareLink } from '@/lib/db/share-links';
import { AppError, notFoundMessage } from '@/lib/errors';
import { parseParams, route } from '@/lib/http';
import { paramsSchema } from './schema';

export const runtime = 'nodejs';

// DELETE /api/share-links/:id – revoke the caller's link: its page and its images stop working at once
export const DELETE = route(async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await parseParams(params, paramsSchema, notFoundMessage.shareLink);
  const userId = await requireUser();
  if (!(await revokeShareLink(userId, id))) throw new AppError('not_found', notFoundMessage.shareLink);
  const link = await getShareLink(userId, id);
  return Response.json({ id, revokedAt: link?.revokedAt?.toISOString() ?? null });
});
