import { rm } from 'node:fs/promises';
import { savePlaybackKey } from '@/lib/db/video-jobs';
import { blobExists, getBlobStore } from '@/lib/storage';
import { newTempFile } from '@/lib/storage/temp';
import { blobKeys } from '@/lib/uploads/content-blobs';

/**
 * The copy people play is content-addressed like the original: another upload of the same bytes
 * may already have made it, and then there is nothing to make.
 */
export async function storePlaybackCopy(
  media: { id: string; sha256: string; playbackKey: string | null },
  contentType: string,
  make: (output: string) => Promise<void>,
): Promise<void> {
  if (media.playbackKey) return;
  const { playbackKey } = blobKeys(media.sha256);
  if (!(await blobExists(playbackKey))) {
    const file = await newTempFile('playback', '.mp4');
    try {
      await make(file);
      await getBlobStore().putFile(playbackKey, file, contentType);
    } finally {
      await rm(file, { force: true });
    }
  }
  await savePlaybackKey(media.id, playbackKey);
}
