import { db } from '@/lib/db/client';

/** Questions the user asked since `since`, in any of their conversations. */
export function countQuestionsSince(userId: string, since: Date): Promise<number> {
  return db().message.count({ where: { role: 'user', createdAt: { gte: since }, conversation: { userId } } });
}

/** Bytes of the originals the user uploaded since `since` (rows still there: withdrawn uploads are gone). */
export async function sumUploadBytesSince(userId: string, since: Date): Promise<number> {
  const { _sum } = await db().media.aggregate({ where: { userId, createdAt: { gte: since } }, _sum: { bytes: true } });
  return _sum.bytes ?? 0;
}
