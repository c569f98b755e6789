import { PrismaPg } from '@prisma/adapter-pg';
import { inject } from 'vitest';
import { PrismaClient } from '@/lib/generated/prisma/client';

/**
 * A PrismaClient on the run's test database (migrated, empty at the start of the run, shared by
 * all test files: use unique ids and do not count rows you did not create). Disconnect it in
 * afterAll.
 */
export function testPrisma(): PrismaClient {
  const { url, embedded } = inject('database');
  return new PrismaClient({
    adapter: new PrismaPg({
      connectionString: url,
      // Connections to the embedded server add no parallelism, only more clients waiting.
      max: embedded ? 2 : 5,
      // A query stuck behind another connection's transaction fails the test instead of hanging it.
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 1_000,
    }),
  });
}
