import { randomUUID } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { ensureUser } from '@/lib/db/users';
import { testPrisma } from '@/tests/support/db';

const prisma = testPrisma();
afterAll(async () => {
  await prisma.$disconnect();
  await db().$disconnect();
});

it('creates a user once even when many first requests race', async () => {
  const id = `race-${randomUUID()}`;
  const results = await Promise.allSettled(Array.from({ length: 12 }, () => ensureUser(id)));
  expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
  expect(await prisma.user.count({ where: { id } })).toBe(1);
});
