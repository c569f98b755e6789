import { db } from '@/lib/db/client';
import type { Prisma } from '@/lib/generated/prisma/client';

export type UsageKind = 'message' | 'upload_bytes' | 'video_seconds' | 'audio_seconds';

/** Appends to the usage ledger, in the caller's transaction when there is one. */
export async function recordUsage(event: { userId: string; kind: UsageKind; amount: number }, client: Prisma.TransactionClient = db()) {
  await client.usageEvent.create({ data: event });
}

async function sumSince(userId: string, kind: UsageKind, since: Date): Promise<number> {
  const { _sum } = await db().usageEvent.aggregate({ where: { userId, kind, createdAt: { gte: since } }, _sum: { amount: true } });
  return _sum.amount ?? 0;
}

/** Questions the user asked since `since`, deleted conversations included. */
export const countQuestionsSince = (userId: string, since: Date) => sumSince(userId, 'message', since);

/** Bytes of originals the user uploaded since `since`, withdrawn uploads included. */
export const sumUploadBytesSince = (userId: string, since: Date) => sumSince(userId, 'upload_bytes', since);

/** Seconds of video the user uploaded for processing since `since`. */
export const sumVideoSecondsSince = (userId: string, since: Date) => sumSince(userId, 'video_seconds', since);

/** Seconds of recordings the user uploaded for transcription since `since`. */
export const sumAudioSecondsSince = (userId: string, since: Date) => sumSince(userId, 'audio_seconds', since);
