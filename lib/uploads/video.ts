import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fromPrisma } from 'pg-boss';
import { defaultModel } from '@/lib/ai/registry';
import { checkUploadQuota, checkVideoQuota, type Caller } from '@/lib/auth/quotas';
import { mediaUrl } from '@/lib/chat/types';
import { videoUploadLimits } from '@/lib/config';
import { createMedia, withContentLock } from '@/lib/db/media';
import { recordUsage } from '@/lib/db/usage';
import { createVideoJob } from '@/lib/db/video-jobs';
import { AppError, formatBytes } from '@/lib/errors';
import { jobQueue, queues } from '@/lib/jobs/boss';
import { frameSelectionSettings } from '@/lib/media/video/frames';
import { makeVideoPoster } from '@/lib/media/video/poster';
import { probeVideo, type VideoInfo } from '@/lib/media/video/probe';
import { blobExists, getBlobStore } from '@/lib/storage';
import { newTempFile } from '@/lib/storage/temp';
import { blobKeys, freeContentIfUnused } from '@/lib/uploads/content-blobs';

export interface UploadedVideo {
  id: string;
  url: string;
  kind: 'video';
  filename: string;
  mediaType: string;
  bytes: number;
  width: number;
  height: number;
  durationMs: number;
}

/**
 * The MIME type from what ffprobe found, never from the name or the browser's claim. ffprobe names
 * the MP4/MOV family and the Matroska/WebM family alike; browsers play H.264 MOV as MP4, and
 * Matroska with VP8/VP9/AV1 is WebM.
 */
function mediaTypeOf(info: VideoInfo): string {
  const names = info.container.split(',');
  if (names.includes('mp4') || names.includes('mov')) return 'video/mp4';
  if (names.includes('webm') && ['vp8', 'vp9', 'av1'].includes(info.codec)) return 'video/webm';
  if (names.includes('matroska')) return 'video/x-matroska';
  if (names.includes('avi')) return 'video/x-msvideo';
  return 'application/octet-stream';
}

/**
 * Receives a video as a stream: it goes to a temp file (hashed on the way, memory stays constant
 * whatever its size), is validated with ffprobe, then stored with a poster, recorded, and queued for
 * processing — the Media row, its VideoJob and the queue entry commit together. On any failure
 * nothing is left: no row, no blob, no temp file.
 */
export async function ingestVideo(caller: Caller, body: ReadableStream<Uint8Array>, filename: string): Promise<UploadedVideo> {
  const limits = videoUploadLimits();
  const tempFile = await newTempFile('upload');
  try {
    const { hash, bytes } = await receiveToFile(body, tempFile, limits.maxBytes);
    // A chunked upload declares no length: what arrived is checked against today's quota here.
    await checkUploadQuota(caller, bytes);
    const info = await probeVideo(tempFile, limits);
    await checkVideoQuota(caller, Math.ceil(info.durationMs / 1000));
    const poster = await makeVideoPoster(tempFile, info);
    const model = await defaultModel();
    const mediaType = mediaTypeOf(info);
    const { originalKey, previewKey } = blobKeys(hash);
    const store = getBlobStore();
    const boss = await jobQueue();

    // The long write happens outside the lock (a transaction held for minutes would stall every
    // other connection on the embedded database). A withdrawal of the same bytes racing with it
    // could free the blob meanwhile, so it is checked, and restored if need be, once the row exists.
    await store.putFile(originalKey, tempFile, mediaType);
    let media;
    try {
      media = await withContentLock(hash, async (tx) => {
        await store.put(previewKey, poster.data, 'image/webp');
        await recordUsage({ userId: caller.id, kind: 'upload_bytes', amount: bytes }, tx);
        await recordUsage({ userId: caller.id, kind: 'video_seconds', amount: Math.ceil(info.durationMs / 1000) }, tx);
        const created = await createMedia(
          {
            userId: caller.id,
            sha256: hash,
            kind: 'video',
            mediaType,
            filename: filename.slice(0, 200),
            bytes,
            width: info.width,
            height: info.height,
            durationMs: info.durationMs,
            originalKey,
            previewKey,
          },
          tx,
        );
        const queueJobId = randomUUID();
        await createVideoJob(tx, { mediaId: created.id, queueJobId, modelId: model?.id ?? '', settings: { frames: { ...frameSelectionSettings() } } });
        await boss.send(queues.videoProcess.name, { mediaId: created.id }, { id: queueJobId, db: fromPrisma(tx) });
        return created;
      });
    } catch (error) {
      await freeContentIfUnused(hash);
      throw error;
    }
    if (!(await blobExists(originalKey))) await store.putFile(originalKey, tempFile, mediaType);

    return {
      id: media.id,
      url: mediaUrl(media.id),
      kind: 'video',
      filename: media.filename,
      mediaType,
      bytes,
      width: info.width,
      height: info.height,
      durationMs: info.durationMs,
    };
  } finally {
    await rm(tempFile, { force: true });
  }
}

/** Streams the body to `file`, hashing as it goes; refuses (and stops reading) past `maxBytes`. */
async function receiveToFile(body: ReadableStream<Uint8Array>, file: string, maxBytes: number): Promise<{ hash: string; bytes: number }> {
  const digest = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        done(new AppError('too_large', `This video is over ${formatBytes(maxBytes)}; the limit is ${formatBytes(maxBytes)} per video.`));
        return;
      }
      digest.update(chunk);
      done(null, chunk);
    },
  });
  await pipeline(Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>), meter, createWriteStream(file));
  if (bytes === 0) throw new AppError('empty_file', 'This file is empty (0 bytes).');
  return { hash: digest.digest('hex'), bytes };
}
