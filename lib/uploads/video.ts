import { rm } from 'node:fs/promises';
import { defaultModel } from '@/lib/ai/registry';
import { checkMinutesQuota, checkUploadQuota, type Caller } from '@/lib/auth/quotas';
import { videoUploadLimits } from '@/lib/config';
import { queues } from '@/lib/jobs/boss';
import { frameSelectionSettings } from '@/lib/media/video/frames';
import { makeVideoPoster } from '@/lib/media/video/poster';
import { probeVideo, type VideoInfo } from '@/lib/media/video/probe';
import { newTempFile } from '@/lib/storage/temp';
import { storeQueuedUpload, type UploadedProcessed } from '@/lib/uploads/queued-upload';
import { receiveToFile } from '@/lib/uploads/receive';

export type UploadedVideo = UploadedProcessed<'video'>;

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
 * Receives a video as a stream: it goes to a temp file, is validated with ffprobe, then stored with
 * a poster and queued for processing (storeQueuedUpload). On any failure nothing is left: no row,
 * no blob, no temp file.
 */
export async function ingestVideo(caller: Caller, body: ReadableStream<Uint8Array>, filename: string): Promise<UploadedVideo> {
  const limits = videoUploadLimits();
  const tempFile = await newTempFile('upload');
  try {
    const { hash, bytes } = await receiveToFile(body, tempFile, { maxBytes: limits.maxBytes, noun: 'video' });
    // A chunked upload declares no length: what arrived is checked against today's quota here.
    await checkUploadQuota(caller, bytes);
    const info = await probeVideo(tempFile, limits);
    await checkMinutesQuota(caller, 'video', Math.ceil(info.durationMs / 1000));
    const poster = await makeVideoPoster(tempFile, info);
    const model = await defaultModel();
    const mediaType = mediaTypeOf(info);
    return await storeQueuedUpload({
      caller,
      tempFile,
      hash,
      media: { kind: 'video', mediaType, filename, bytes, width: info.width, height: info.height, durationMs: info.durationMs },
      preview: poster.data,
      usage: [{ kind: 'video_seconds', amount: Math.ceil(info.durationMs / 1000) }],
      job: { queue: queues.videoProcess.name, modelId: model?.id ?? '', settings: { frames: { ...frameSelectionSettings() } } },
    });
  } finally {
    await rm(tempFile, { force: true });
  }
}
