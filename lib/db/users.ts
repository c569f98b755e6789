import { db } from '@/lib/db/client';

/** Anonymous identities exist only as a cookie until they first write something. */
export async function ensureUser(id: string): Promise<void> {
  await db().user.upsert({ where: { id }, create: { id }, update: {} });
}
