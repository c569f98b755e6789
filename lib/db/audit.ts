import type { Prisma } from '@/lib/generated/prisma/client';
import { assertAdmin, type Viewer } from '@/lib/auth/admin';
import { db } from '@/lib/db/client';

export type AuditAction =
  | 'view_conversation'
  | 'view_media'
  | 'download_transcript'
  | 'set_role'
  | 'ban_user'
  | 'unban_user'
  | 'revoke_share_link'
  | 'revoke_api_key'
  | 'cancel_job'
  | 'retry_job'
  | 'test_model_connection';

/** Admins are watched too: every look at someone's data and every admin action leaves a row. */
export async function recordAudit(entry: { actorId: string; action: AuditAction; targetType: string; targetId: string; detail?: Prisma.InputJsonValue }) {
  await db().auditLog.create({ data: entry });
}

export async function listAudit(viewer: Viewer, take = 200) {
  assertAdmin(viewer);
  const rows = await db().auditLog.findMany({ orderBy: { createdAt: 'desc' }, take });
  const actors = await db().user.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.actorId))] } }, select: { id: true, email: true } });
  const email = new Map(actors.map((a) => [a.id, a.email]));
  return rows.map((r) => ({ ...r, actorEmail: email.get(r.actorId) ?? r.actorId }));
}
