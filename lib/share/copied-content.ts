import { stat } from 'node:fs/promises';
import { sha256, sha256OfFile } from '@/lib/media/hash';
import { sizeOf } from '@/lib/media/image';
import { getBlobStore } from '@/lib/storage';
import { localCopy } from '@/lib/storage/local-copy';
import { blobKeys, playbackContentType } from '@/lib/uploads/content-blobs';
import { framesFolder } from '@/lib/db/video-jobs';

/** What "Continue in a copy" needs to know of one shared upload. */
export interface SharedUpload {
  id: string;
  kind: string;
  sha256: string;
  previewKey: string;
  playbackKey: string | null;
  frames: { thumbKey: string }[];
}

/**
 * A copy's own content: what the share page serves of an upload (the metadata-free preview of an
 * image, the playback copy of a video or recording, their poster and frames), never the original.
 * It gets its own content hash, so nothing keyed by the original's hash (prepared images, tile
 * notes, answers) reaches the copy, and its blobs are reference-counted like any upload's.
 */
export interface CopiedContent {
  sourceId: string;
  sha256: string;
  mediaType: string;
  bytes: number;
  originalKey: string;
  previewKey: string;
  playbackKey: string | null;
  /** An image copy's own width and height (its preview's); null keeps the source's. */
  size: { width: number; height: number } | null;
  /** The copy's key for one of the source's frame thumbnails. */
  frameKey(sourceKey: string): string;
  /** Writes the copy's blobs; called under the content lock, only when no row uses this content yet. */
  store(): Promise<void>;
  /** Removes the staged file. */
  cleanup(): Promise<void>;
}

/**
 * Stages what the share page serves of an upload as a copy's content, or null for a video or
 * recording whose playback copy does not exist yet (the share page cannot play it either).
 */
export async function stageCopiedContent(upload: SharedUpload): Promise<CopiedContent | null> {
  const store = getBlobStore();
  const preview = await store.get(upload.previewKey);
  if (!preview) throw new Error(`preview of media ${upload.id} is missing from storage`);
  const sourceFrames = `${framesFolder(upload.sha256)}/`;
  if (upload.kind === 'image') {
    // The preview is the copy's original and its preview alike; its own size, not the original's, plans tiles.
    const hash = sha256(preview);
    const { width, height } = await sizeOf(preview);
    const keys = blobKeys(hash);
    return {
      sourceId: upload.id,
      sha256: hash,
      mediaType: 'image/webp',
      bytes: preview.length,
      size: { width, height },
      ...keys,
      playbackKey: null,
      frameKey: (key) => key,
      async store() {
        await store.put(keys.originalKey, preview, 'image/webp');
        await store.put(keys.previewKey, preview, 'image/webp');
      },
      cleanup: async () => {},
    };
  }
  if (!upload.playbackKey) return null;
  const { file, cleanup } = await localCopy(upload.playbackKey);
  try {
    const hash = await sha256OfFile(file);
    const keys = blobKeys(hash);
    const mediaType = playbackContentType(upload.kind);
    const frameKey = (sourceKey: string) => `${framesFolder(hash)}/${sourceKey.slice(sourceFrames.length)}`;
    return {
      sourceId: upload.id,
      sha256: hash,
      mediaType,
      bytes: (await stat(file)).size,
      size: null,
      originalKey: keys.originalKey,
      previewKey: keys.previewKey,
      // The original is the playback copy already: the player gets the same bytes.
      playbackKey: keys.originalKey,
      frameKey,
      async store() {
        await store.putFile(keys.originalKey, file, mediaType);
        await store.put(keys.previewKey, preview, 'image/webp');
        for (const frame of upload.frames) {
          if (!frame.thumbKey.startsWith(sourceFrames)) throw new Error(`frame ${frame.thumbKey} is outside ${sourceFrames}`);
          const jpeg = await store.get(frame.thumbKey);
          if (!jpeg) throw new Error(`frame ${frame.thumbKey} is missing from storage`);
          await store.put(frameKey(frame.thumbKey), jpeg, 'image/jpeg');
        }
      },
      cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
