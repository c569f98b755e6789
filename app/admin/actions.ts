'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { revokeShareLinkAsAdmin, setUserBanned, setUserRole } from '@/lib/db/admin';
import { revokeAnyApiKey } from '@/lib/db/api-keys';
import { recordAudit } from '@/lib/db/audit';
import { requireAdminOr404 } from '@/lib/auth/admin';
import { AppError } from '@/lib/errors';
import { cancelProcessing, retryProcessing } from '@/lib/jobs/control';
import { testConnection as runConnectionTest, type ConnectionReport } from '@/lib/ai/connection-test';

const id = z.string().min(1).max(100);

// Server actions are public endpoints: each one checks its caller itself, before it reads its arguments.

export async function changeRole(userId: string, role: 'user' | 'admin') {
  const actor = await requireAdminOr404();
  const target = id.parse(userId);
  const next = z.enum(['user', 'admin']).parse(role);
  if (target === actor.id) throw new AppError('bad_request', 'You cannot change your own role.');
  await setUserRole(actor, target, next);
  await recordAudit({ actorId: actor.id, action: 'set_role', targetType: 'user', targetId: target, detail: { role: next } });
  revalidatePath('/admin/users');
}

export async function changeBan(userId: string, banned: boolean) {
  const actor = await requireAdminOr404();
  const target = id.parse(userId);
  if (target === actor.id) throw new AppError('bad_request', 'You cannot ban yourself.');
  await setUserBanned(actor, target, z.boolean().parse(banned));
  await recordAudit({ actorId: actor.id, action: banned ? 'ban_user' : 'unban_user', targetType: 'user', targetId: target });
  revalidatePath('/admin/users');
}

export async function revokeShare(linkId: string) {
  const actor = await requireAdminOr404();
  const target = id.parse(linkId);
  await revokeShareLinkAsAdmin(actor, target);
  await recordAudit({ actorId: actor.id, action: 'revoke_share_link', targetType: 'share_link', targetId: target });
  revalidatePath('/admin/shared');
}

export async function revokeKey(keyId: string) {
  const actor = await requireAdminOr404();
  const target = id.parse(keyId);
  if (!(await revokeAnyApiKey(actor, target))) throw new AppError('not_found', 'Not found.');
  await recordAudit({ actorId: actor.id, action: 'revoke_api_key', targetType: 'api_key', targetId: target });
  revalidatePath('/admin/api-keys');
}

export async function cancelJob(mediaId: string) {
  const actor = await requireAdminOr404();
  const target = id.parse(mediaId);
  await cancelProcessing(target);
  await recordAudit({ actorId: actor.id, action: 'cancel_job', targetType: 'media', targetId: target });
  revalidatePath('/admin/jobs');
}

export async function retryJob(mediaId: string) {
  const actor = await requireAdminOr404();
  const target = id.parse(mediaId);
  await retryProcessing(target);
  await recordAudit({ actorId: actor.id, action: 'retry_job', targetType: 'media', targetId: target });
  revalidatePath('/admin/jobs');
}

/** One tiny question to a configured model (or the transcription model), reporting what works. */
export async function testConnection(modelId: string): Promise<ConnectionReport> {
  const actor = await requireAdminOr404();
  const target = id.parse(modelId);
  const report = await runConnectionTest(target);
  if (!report) throw new AppError('not_found', 'No such model is configured.');
  await recordAudit({ actorId: actor.id, action: 'test_model_connection', targetType: 'model', targetId: target, detail: { ok: report.ok } });
  return report;
}
