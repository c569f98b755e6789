import { db } from '@/lib/db/client';

/**
 * Anonymous identities exist only as a cookie until they first write something. A browser's first
 * uploads arrive in parallel, so this must be a single statement that tolerates a concurrent insert
 * (Prisma's upsert with an empty update is a read-then-write and races).
 */
export async function ensureUser(id: string): Promise<void> {
  await db().user.createMany({ data: [{ id }], skipDuplicates: true });
}
