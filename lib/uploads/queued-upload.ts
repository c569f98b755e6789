import { randomUUID } from 'node:crypto';
import { fromPrisma } from 'pg-boss';
import type { Caller } from '@/lib/auth/quotas';
import { mediaUrl } from '@/lib/chat/types';
import { createMedia, withContentLock, type NewMedia } from '@/lib/db/media';
import { recordUsage, type UsageKind } from '@/lib/db/usage';
import { createVideoJob } from '@/lib/db/video-jobs';
import type { Prisma } from '@/lib/generated/prisma/client';
import { jobQueue } from '@/lib/jobs/boss';
import { blobExists, getBlobStore } from '@/lib/storage';
import { blobKeys, freeContentIfUnused } from '@/lib/uploads/content-blobs';

/** What the browser gets back for a stored video or recording. */
export interface UploadedProcessed<Kind extends 'video' | 'audio'> {
  id: string;
  url: string;
  kind: Kind;
  filename: string;
  mediaType: string;
  bytes: number;
  /** A video's picture; a recording's waveform. */
  width: number;
  height: number;
  durationMs: number;
}

export interface QueuedUpload {
  caller: Caller;
  /** The validated upload on local disk, and its sha256. */
  tempFile: string;
  hash: string;
  media: Omit<NewMedia, 'userId' | 'sha256' | 'originalKey' | 'previewKey' | 'kind' | 'durationMs'> & { kind: 'video' | 'audio'; durationMs: number };
  preview: Buffer;
  /** Ledger entries besides the bytes (e.g. the video's seconds). */
  usage: { kind: UsageKind; amount: number }[];
  job: { queue: string; modelId: string; settings: Prisma.InputJsonValue };
}

/**
 * Stores a validated video or recording and queues its processing: the Media row, its job row,
 * the ledger entries and the queue entry commit together. On any failure nothing is left behind.
 */
export async function storeQueuedUpload<Kind extends 'video' | 'audio'>(upload: QueuedUpload & { media: { kind: Kind } }): Promise<UploadedProcessed<Kind>> {
  const { caller, tempFile, hash, media } = upload;
  const { originalKey, previewKey } = blobKeys(hash);
  const store = getBlobStore();
  const boss = await jobQueue();

  // The long write happens outside the lock (a transaction held for minutes would stall every
  // other connection on the embedded database). A withdrawal of the same bytes racing with it
  // could free the blob meanwhile, so it is checked, and restored if need be, once the row exists.
  await store.putFile(originalKey, tempFile, media.mediaType);
  let created;
  try {
    created = await withContentLock(hash, async (tx) => {
      await store.put(previewKey, upload.preview, 'image/webp');
      await recordUsage({ userId: caller.id, kind: 'upload_bytes', amount: media.bytes }, tx);
      for (const { kind, amount } of upload.usage) await recordUsage({ userId: caller.id, kind, amount }, tx);
      const row = await createMedia({ ...media, filename: media.filename.slice(0, 200), userId: caller.id, sha256: hash, originalKey, previewKey }, tx);
      const queueJobId = randomUUID();
      await createVideoJob(tx, { mediaId: row.id, queueJobId, modelId: upload.job.modelId, settings: upload.job.settings, apiKeyId: caller.keyId });
      await boss.send(upload.job.queue, { mediaId: row.id }, { id: queueJobId, db: fromPrisma(tx) });
      return row;
    });
  } catch (error) {
    await freeContentIfUnused(hash);
    throw error;
  }
  if (!(await blobExists(originalKey))) await store.putFile(originalKey, tempFile, media.mediaType);
  return {
    id: created.id,
    url: mediaUrl(created.id),
    kind: media.kind,
    filename: created.filename,
    mediaType: media.mediaType,
    bytes: media.bytes,
    width: media.width,
    height: media.height,
    durationMs: media.durationMs,
  };
}
