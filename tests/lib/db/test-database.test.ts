import { afterAll, expect, inject, it } from 'vitest';
import { testPrisma } from '../../support/db';

const prisma = testPrisma();
afterAll(() => prisma.$disconnect());

it('gives every test file the migrated database of the run, also as DATABASE_URL for code under test', async () => {
  expect(process.env.DATABASE_URL).toBe(inject('database').url);
  const id = `test-database-${crypto.randomUUID()}`;
  await prisma.user.create({ data: { id, name: 't', email: `${id}@test.glimpse.invalid`, conversations: { create: { title: 't', modelId: 'stub' } } } });
  expect(await prisma.conversation.count({ where: { userId: id } })).toBe(1);
  await prisma.user.delete({ where: { id } });
});
