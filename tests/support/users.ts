import { db } from '@/lib/db/client';

/** A guest user row, as the proxy's guest sign-in would make; idempotent, so files can share ids. */
export async function ensureTestUser(id: string, opts: { anonymous?: boolean } = {}): Promise<void> {
  await db().user.createMany({
    data: [{ id, name: 'Test user', email: `${id}@test.glimpse.invalid`, isAnonymous: opts.anonymous ?? true }],
    skipDuplicates: true,
  });
}
