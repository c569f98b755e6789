import { db } from '@/lib/db/client';
import type { Prisma } from '@/lib/generated/prisma/client';

export type NewMedia = {
  userId: string;
  sha256: string;
  mediaType: string;
  filename: string;
  bytes: number;
  width: number;
  height: number;
  originalKey: string;
  previewKey: string;
  kind?: 'image' | 'video' | 'audio';
  durationMs?: number;
};

/** The client inside a transaction (what `withContentLock` hands its work). */
export type Tx = Prisma.TransactionClient;

const CONTENT_LOCK_TIMEOUT_MS = 30_000;

/**
 * Runs `work` in a transaction holding a lock on one content hash. Blobs are content-addressed
 * and shared by every Media row with the same sha256, so whoever writes or frees those blobs
 * (an upload, a withdrawal, the sweep) does it under this lock: "is any row still using them?"
 * and the blob writes or deletes then cannot interleave with another upload of the same bytes.
 *
 * Keep `work` short: on the embedded database (PGlite, one backend) an open transaction makes
 * every other connection wait. The lock is released when the transaction ends, commit or rollback.
 */
export function withContentLock<T>(sha256: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db().$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${sha256}, 0))`;
      return work(tx);
    },
    // maxWait too: on PGlite even BEGIN waits while another connection has a transaction open.
    { timeout: CONTENT_LOCK_TIMEOUT_MS, maxWait: CONTENT_LOCK_TIMEOUT_MS },
  );
}

export function createMedia(data: NewMedia, client: Tx = db()) {
  return client.media.create({ data });
}

/** Whether any row (anyone's) holds this content; its blobs are then in use. */
export async function hasMediaWithContent(tx: Tx, sha256: string): Promise<boolean> {
  return (await tx.media.count({ where: { sha256 } })) > 0;
}

export function getOwnedMedia(userId: string, id: string) {
  return db().media.findFirst({ where: { id, userId } });
}

export function getOwnedMediaMany(userId: string, ids: string[]) {
  return db().media.findMany({ where: { id: { in: ids }, userId } });
}

export function getMediaMany(ids: string[]) {
  return db().media.findMany({ where: { id: { in: ids } } });
}

/** Media not yet sent in a message can be withdrawn from the composer. Returns how many rows went (0 or 1). */
export async function deleteUnsentMedia(tx: Tx, userId: string, id: string): Promise<number> {
  return (await tx.media.deleteMany({ where: { id, userId, conversationId: null } })).count;
}

/** Uploads never sent in a message, older than `before`: the composer was abandoned. */
export function findUnsentMediaBefore(before: Date) {
  // An image in a batch is in use although no message carries it.
  return db().media.findMany({ where: { conversationId: null, createdAt: { lt: before }, batchItems: { none: {} } }, take: 500 });
}

/** Deletes those of `ids` that are still unsent and older than `before` (one may have been sent meanwhile). */
export async function deleteUnsentMediaBefore(tx: Tx, ids: string[], before: Date): Promise<number> {
  return (await tx.media.deleteMany({ where: { id: { in: ids }, conversationId: null, createdAt: { lt: before }, batchItems: { none: {} } } })).count;
}

/**
 * A recording measured longer (or shorter) once decoded than its header said at upload: its row
 * says the real length, and the owner's ledger is charged the seconds the header hid.
 */
export async function correctDuration(media: { id: string; userId: string; durationMs: number | null }, durationMs: number): Promise<void> {
  const hiddenSeconds = Math.ceil(durationMs / 1000) - Math.ceil((media.durationMs ?? 0) / 1000);
  await db().$transaction(async (tx) => {
    await tx.media.update({ where: { id: media.id }, data: { durationMs } });
    if (hiddenSeconds > 0) await tx.usageEvent.create({ data: { userId: media.userId, kind: 'audio_seconds', amount: hiddenSeconds } });
  });
}
