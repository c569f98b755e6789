import { db } from '@/lib/db/client';

/**
 * A guest who signs up or signs in keeps everything made as a guest. Runs before better-auth
 * deletes the guest user (which would cascade to their rows).
 */
export async function adoptGuestData(guestId: string, accountId: string): Promise<void> {
  if (guestId === accountId) return;
  await db().$transaction([
    // Raw SQL: Prisma's @updatedAt would stamp every conversation and batch "just now" and
    // reverse the order the person left them in.
    db().$executeRaw`UPDATE "Conversation" SET "userId" = ${accountId} WHERE "userId" = ${guestId}`,
    db().$executeRaw`UPDATE "Batch" SET "userId" = ${accountId} WHERE "userId" = ${guestId}`,
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
      batches: { none: {} },
      sessions: { none: { updatedAt: { gte: before } } },
    },
  });
  return count;
}

/**
 * Makes an account an admin, or an admin an ordinary account, by its email; null when no account
 * (guests excluded) has it. Recorded in the audit log with `actor` naming who did it.
 */
export async function setRoleByEmail(email: string, role: 'admin' | 'user', actor: string) {
  return db().$transaction(async (tx) => {
    const user = await tx.user.findFirst({ where: { email: { equals: email.trim(), mode: 'insensitive' }, isAnonymous: false } });
    if (!user) return null;
    await tx.user.update({ where: { id: user.id }, data: { role } });
    await tx.auditLog.create({ data: { actorId: actor, action: 'set_role', targetType: 'user', targetId: user.id, detail: { role, email: user.email } } });
    return { ...user, role };
  });
}
