import { hasMediaWithContent, withContentLock } from '@/lib/db/media';
import { framesFolder } from '@/lib/db/video-jobs';
import { getBlobStore } from '@/lib/storage';

/**
 * Blobs are content-addressed: every Media row with the same sha256 shares these keys (and a
 * video's frame folder), so they are reference-counted by sha256 and written or freed only under
 * `withContentLock(sha256)`.
 */
export function blobKeys(hash: string) {
  return { originalKey: `originals/${hash}`, previewKey: `previews/${hash}.webp`, playbackKey: `playback/${hash}.mp4` };
}

/** What the playback copy is served as: M4A for a recording, MP4 for a video. */
export const playbackContentType = (kind: string) => (kind === 'audio' ? 'audio/mp4' : 'video/mp4');

/** Frees everything stored for this content: original, preview, a video's playback copy and frames. */
export async function deleteContentBlobs(hash: string): Promise<void> {
  const store = getBlobStore();
  const { originalKey, previewKey, playbackKey } = blobKeys(hash);
  await store.delete(originalKey);
  await store.delete(previewKey);
  await store.delete(playbackKey);
  await store.deletePrefix(framesFolder(hash));
}

/** After a failed upload or a video deleted mid-processing: the blobs go unless a row (someone else's same bytes) still uses them. */
export async function freeContentIfUnused(hash: string): Promise<void> {
  await withContentLock(hash, async (tx) => {
    if (!(await hasMediaWithContent(tx, hash))) await deleteContentBlobs(hash);
  }).catch((cleanup) => console.error(`could not remove the blobs of ${hash}`, cleanup));
}
