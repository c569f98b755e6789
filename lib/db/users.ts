import { db } from '@/lib/db/client';

/**
 * A guest who signs up or signs in keeps everything made as a guest. Runs before better-auth
 * deletes the guest user (which would cascade to their rows).
 */
export async function adoptGuestData(guestId: string, accountId: string): Promise<void> {
  if (guestId === accountId) return;
  await db().$transaction([
    db().conversation.updateMany({ where: { userId: guestId }, data: { userId: accountId } }),
    db().media.updateMany({ where: { userId: guestId }, data: { userId: accountId } }),
    db().shareLink.updateMany({ where: { userId: guestId }, data: { userId: accountId } }),
    // Today's usage too: signing up is not a way around the guest's daily quota.
    db().usageEvent.updateMany({ where: { userId: guestId }, data: { userId: accountId } }),
  ]);
}
