import { randomUUID } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { adoptGuestData, deleteIdleGuests } from '@/lib/db/users';
import { testPrisma } from '@/tests/support/db';
import { ensureTestUser } from '@/tests/support/users';

const prisma = testPrisma();
afterAll(async () => {
  await prisma.$disconnect();
  await db().$disconnect();
});

it('hands a guest’s conversations and media to the account, and nobody else’s', async () => {
  const guest = `guest-${randomUUID()}`;
  const account = `account-${randomUUID()}`;
  const stranger = `stranger-${randomUUID()}`;
  for (const id of [guest, account, stranger]) await ensureTestUser(id);
  const conversation = (userId: string) => prisma.conversation.create({ data: { userId, title: 't', modelId: 'm' } });
  const media = (userId: string) =>
    prisma.media.create({ data: { userId, sha256: 'x', mediaType: 'image/png', filename: 'a.png', bytes: 1, width: 1, height: 1, originalKey: 'o', previewKey: 'p' } });
  const [guestChat, strangerChat] = [await conversation(guest), await conversation(stranger)];
  const [guestImage, strangerImage] = [await media(guest), await media(stranger)];

  await adoptGuestData(guest, account);

  expect((await prisma.conversation.findUniqueOrThrow({ where: { id: guestChat.id } })).userId).toBe(account);
  expect((await prisma.media.findUniqueOrThrow({ where: { id: guestImage.id } })).userId).toBe(account);
  expect((await prisma.conversation.findUniqueOrThrow({ where: { id: strangerChat.id } })).userId).toBe(stranger);
  expect((await prisma.media.findUniqueOrThrow({ where: { id: strangerImage.id } })).userId).toBe(stranger);
});

it('hands over a guest’s batches too, and keeps every conversation’s time and order', async () => {
  const guest = `guest-${randomUUID()}`;
  const account = `account-${randomUUID()}`;
  for (const id of [guest, account]) await ensureTestUser(id);
  const older = new Date('2026-01-02T10:00:00Z');
  const newer = new Date('2026-03-04T10:00:00Z');
  const first = await prisma.conversation.create({ data: { userId: guest, title: 'older', modelId: 'm', updatedAt: older } });
  const second = await prisma.conversation.create({ data: { userId: guest, title: 'newer', modelId: 'm', updatedAt: newer } });
  const batch = await prisma.batch.create({ data: { userId: guest, prompt: 'p', modelId: 'm', detail: 'auto', status: 'completed', updatedAt: older } });

  await adoptGuestData(guest, account);

  const adopted = await prisma.conversation.findMany({ where: { userId: account }, orderBy: { updatedAt: 'desc' } });
  expect(adopted.map((c) => [c.id, c.updatedAt.toISOString()])).toEqual([
    [second.id, newer.toISOString()],
    [first.id, older.toISOString()],
  ]);
  expect(await prisma.batch.findUniqueOrThrow({ where: { id: batch.id } })).toMatchObject({ userId: account, updatedAt: older });
  // The guest's row goes after this (better-auth deletes it): nothing of theirs goes with it.
  await prisma.user.delete({ where: { id: guest } });
  expect(await prisma.batch.count({ where: { id: batch.id } })).toBe(1);
});

it('removes guests who made nothing and were not seen for a week, and nobody else', async () => {
  const weekAgo = new Date(Date.now() - 7 * 86_400_000);
  const longAgo = new Date(Date.now() - 30 * 86_400_000);
  const idle = `idle-${randomUUID()}`;
  const recentSession = `recent-${randomUUID()}`;
  const withChat = `with-chat-${randomUUID()}`;
  const account = `account-${randomUUID()}`;
  for (const id of [idle, recentSession, withChat]) await ensureTestUser(id);
  await ensureTestUser(account, { anonymous: false });
  await prisma.user.updateMany({ where: { id: { in: [idle, recentSession, withChat, account] } }, data: { createdAt: longAgo } });
  await prisma.session.create({ data: { id: randomUUID(), token: randomUUID(), userId: idle, expiresAt: new Date(Date.now() + 86_400_000), updatedAt: longAgo } });
  await prisma.session.create({ data: { id: randomUUID(), token: randomUUID(), userId: recentSession, expiresAt: new Date(Date.now() + 86_400_000) } });
  await prisma.conversation.create({ data: { userId: withChat, title: 't', modelId: 'm' } });

  await deleteIdleGuests(weekAgo);

  const left = (await prisma.user.findMany({ where: { id: { in: [idle, recentSession, withChat, account] } } })).map((u) => u.id).sort();
  expect(left).toEqual([recentSession, withChat, account].sort());
  expect(await prisma.session.count({ where: { userId: idle } })).toBe(0);
});
