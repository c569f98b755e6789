/**
 * Answers left "being written" by a process that is gone are closed as interrupted; beside other
 * instances only those older than any answer can run, so a newly started instance never marks
 * another one's running answer as failed.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { abandonUnfinishedAnswers } from '@/lib/db/messages';
import { testPrisma } from '@/tests/support/db';
import { ensureTestUser } from '@/tests/support/users';

const prisma = testPrisma();
const owner = `abandon-${randomUUID()}`;

beforeAll(() => ensureTestUser(owner));

afterAll(async () => {
  await prisma.$disconnect();
  await db().$disconnect();
});

it('closes only answers started before the cut-off, leaving running and finished ones as they are', async () => {
  const conversation = await prisma.conversation.create({ data: { userId: owner, title: 'abandoned', modelId: 'compatible:stub-vision' } });
  // Test files share the database: a cut-off long before today touches only these rows.
  const cutOff = new Date('2001-01-01T00:00:00Z');
  const answer = (createdAt: Date, status: 'streaming' | 'complete') =>
    prisma.message.create({ data: { id: randomUUID(), conversationId: conversation.id, role: 'assistant', parts: [], status, createdAt } });
  const cutOffLongAgo = await answer(new Date('2000-06-01T00:00:00Z'), 'streaming');
  const finishedLongAgo = await answer(new Date('2000-06-01T00:00:00Z'), 'complete');
  const running = await answer(new Date(), 'streaming');

  expect(await abandonUnfinishedAnswers(cutOff)).toBe(1);
  const rows = new Map((await prisma.message.findMany({ where: { conversationId: conversation.id } })).map((m) => [m.id, m]));
  expect(rows.get(cutOffLongAgo.id)).toMatchObject({ status: 'error', errorCode: 'The server restarted before this answer was finished. Try again.' });
  expect(rows.get(finishedLongAgo.id)).toMatchObject({ status: 'complete', errorCode: null });
  expect(rows.get(running.id)).toMatchObject({ status: 'streaming' });
});
