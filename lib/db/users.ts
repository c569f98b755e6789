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

/**
 * Every cookieless visitor (a crawler, a link unfurler) becomes a guest. Guests who never made
 * anything and have not been seen since `before` are removed, with their sessions.
 */
export async function deleteIdleGuests(before: Date): Promise<number> {
  const { count } = await db().user.deleteMany({
    where: {
      isAnonymous: true,
      createdAt: { lt: before },
      conversations: { none: {} },
      media: { none: {} },
      sessions: { none: { updatedAt: { gte: before } } },
    },
  });
  return count;
}
