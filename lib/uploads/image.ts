import { imageUploadLimits } from '@/lib/config';
import { createMedia, deleteMediaRows, findUnsentMediaBefore, isBlobReferenced } from '@/lib/db/media';
import { sha256 } from '@/lib/media/hash';
import { inspectImage, makePreview } from '@/lib/media/image';
import { getBlobStore } from '@/lib/storage';

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
  const info = await inspectImage(bytes, filename, imageUploadLimits());
  const preview = await makePreview(bytes);
  const hash = sha256(bytes);
  const originalKey = `originals/${hash}`;
  const previewKey = `previews/${hash}.webp`;

  const store = getBlobStore();
  const written: string[] = [];
  try {
    await store.put(originalKey, bytes, info.mediaType);
    written.push(originalKey);
    await store.put(previewKey, preview.data, 'image/webp');
    written.push(previewKey);
    const media = await createMedia({
      userId,
      sha256: hash,
      mediaType: info.mediaType,
      filename: filename.slice(0, 200),
      bytes: bytes.length,
      width: info.width,
      height: info.height,
      originalKey,
      previewKey,
    });
    return { id: media.id, url: `/api/media/${media.id}`, filename: media.filename, mediaType: media.mediaType, bytes: media.bytes, width: media.width, height: media.height };
  } catch (error) {
    await removeUnreferenced(written);
    throw error;
  }
}

/** Content-addressed blobs may belong to other uploads of the same bytes; only orphans go. */
export async function removeUnreferenced(keys: string[]): Promise<void> {
  const store = getBlobStore();
  for (const key of keys) {
    if (!(await isBlobReferenced(key))) await store.delete(key);
  }
}

const UNSENT_TTL_MS = 24 * 60 * 60 * 1000;

/** Removes uploads left in a composer that was never sent (tab closed), with their blobs. */
export async function sweepUnsentUploads(now = Date.now()): Promise<number> {
  const stale = await findUnsentMediaBefore(new Date(now - UNSENT_TTL_MS));
  if (stale.length === 0) return 0;
  await deleteMediaRows(stale.map((m) => m.id));
  await removeUnreferenced([...new Set(stale.flatMap((m) => [m.originalKey, m.previewKey]))]);
  return stale.length;
}
