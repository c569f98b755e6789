import { mediaUrl } from '@/lib/chat/types';
import { imageUploadLimits } from '@/lib/config';
import {
  createMedia,
  deleteUnsentMedia,
  deleteUnsentMediaBefore,
  findUnsentMediaBefore,
  hasMediaWithContent,
  withContentLock,
} from '@/lib/db/media';
import { sha256 } from '@/lib/media/hash';
import { inspectImage, makePreview } from '@/lib/media/image';
import { getBlobStore } from '@/lib/storage';
import { recordUsage } from '@/lib/db/usage';
import { blobKeys, deleteContentBlobs } from '@/lib/uploads/content-blobs';

export interface UploadedImage {
  id: string;
  url: string;
  filename: string;
  mediaType: string;
  bytes: number;
  width: number;
  height: number;
}

/**
 * Validates an image by its content, stores the untouched original and a display preview, then
 * records it. Either all three exist afterwards or none does.
 */
export async function ingestImage(userId: string, bytes: Buffer, filename: string): Promise<UploadedImage> {
  const limits = imageUploadLimits();
  // The slow part (decoding, encoding, hashing) happens before the lock, which must stay short.
  const info = await inspectImage(bytes, filename, limits);
  const preview = await makePreview(bytes, filename, limits.maxPixels);
  const hash = sha256(bytes);
  const { originalKey, previewKey } = blobKeys(hash);

  const store = getBlobStore();
  const media = await withContentLock(hash, async (tx) => {
    const shared = await hasMediaWithContent(tx, hash);
    try {
      await store.put(originalKey, bytes, info.mediaType);
      await store.put(previewKey, preview.data, 'image/webp');
      await recordUsage({ userId, kind: 'upload_bytes', amount: bytes.length }, tx);
      return await createMedia(
        {
          userId,
          sha256: hash,
          mediaType: info.mediaType,
          filename: filename.slice(0, 200),
          bytes: bytes.length,
          width: info.width,
          height: info.height,
          originalKey,
          previewKey,
        },
        tx,
      );
    } catch (error) {
      // A failed statement has aborted the transaction, so nothing more can be asked of the
      // database: whether the blobs are someone else's too was settled before, under the lock.
      if (!shared) {
        await deleteContentBlobs(hash).catch((cleanup) => console.error(`could not remove the blobs of a failed upload (${hash})`, cleanup));
      }
      throw error;
    }
  });
  return {
    id: media.id,
    url: mediaUrl(media.id),
    filename: media.filename,
    mediaType: media.mediaType,
    bytes: media.bytes,
    width: media.width,
    height: media.height,
  };
}

/**
 * Withdraws an unsent upload from its owner's composer, and frees its blobs when no other row
 * uses the same bytes. False when there was nothing to withdraw (gone, or sent meanwhile).
 */
export async function withdrawUpload(userId: string, media: { id: string; sha256: string }): Promise<boolean> {
  return withContentLock(media.sha256, async (tx) => {
    const removed = await deleteUnsentMedia(tx, userId, media.id);
    if (!(await hasMediaWithContent(tx, media.sha256))) await deleteContentBlobs(media.sha256);
    return removed > 0;
  });
}

const UNSENT_TTL_MS = 24 * 60 * 60 * 1000;

/** Removes uploads left in a composer that was never sent (tab closed), with their blobs. */
export async function sweepUnsentUploads(now = Date.now()): Promise<number> {
  const before = new Date(now - UNSENT_TTL_MS);
  const stale = await findUnsentMediaBefore(before);
  const byContent = new Map<string, string[]>();
  for (const m of stale) byContent.set(m.sha256, [...(byContent.get(m.sha256) ?? []), m.id]);

  let removed = 0;
  const failures: unknown[] = [];
  // One short transaction per content hash, so a sweep never holds the database for long.
  for (const [hash, ids] of byContent) {
    try {
      removed += await withContentLock(hash, async (tx) => {
        const count = await deleteUnsentMediaBefore(tx, ids, before);
        if (!(await hasMediaWithContent(tx, hash))) await deleteContentBlobs(hash);
        return count;
      });
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) {
    throw new AggregateError(failures, `could not sweep ${failures.length} of ${byContent.size} unsent uploads' content`);
  }
  return removed;
}
