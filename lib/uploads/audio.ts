import { rm } from 'node:fs/promises';
import { transcriptionModel } from '@/lib/ai/transcription';
import { checkMinutesQuota, checkUploadQuota, type Caller } from '@/lib/auth/quotas';
import { audioUploadLimits } from '@/lib/config';
import { AppError } from '@/lib/errors';
import { queues } from '@/lib/jobs/boss';
import { probeAudio, type AudioInfo } from '@/lib/media/audio/probe';
import { makeWaveform } from '@/lib/media/audio/waveform';
import { newTempFile } from '@/lib/storage/temp';
import { storeQueuedUpload, type UploadedProcessed } from '@/lib/uploads/queued-upload';
import { receiveToFile } from '@/lib/uploads/receive';

export type UploadedAudio = UploadedProcessed<'audio'>;

/** The MIME type from what ffprobe found, never from the name or the browser's claim. */
function mediaTypeOf(info: AudioInfo): string {
  const names = info.container.split(',');
  const byContainer: [string, string][] = [
    ['mp3', 'audio/mpeg'],
    ['mp4', 'audio/mp4'],
    ['wav', 'audio/wav'],
    ['ogg', 'audio/ogg'],
    ['flac', 'audio/flac'],
    ['webm', 'audio/webm'],
    ['aac', 'audio/aac'],
    ['aiff', 'audio/aiff'],
  ];
  // Any other container ffprobe reads (AMR, CAF…) is still a recording, and must show as one.
  return byContainer.find(([name]) => names.includes(name))?.[1] ?? `audio/x-${names[0]}`;
}

export const noTranscriptionMessage =
  'Transcription is not set up on this server (no TRANSCRIPTION_MODEL), so recordings cannot be transcribed. Ask the administrator to configure one.';

/**
 * Receives a recording as a stream: it goes to a temp file, is validated by its content (ffprobe
 * and a decode of its first and last second), then stored with its waveform as the preview and
 * queued for transcription. On any failure nothing is left: no row, no blob, no temp file.
 */
export async function ingestAudio(caller: Caller, body: ReadableStream<Uint8Array>, filename: string): Promise<UploadedAudio> {
  const model = transcriptionModel();
  if (!model) throw new AppError('model_unavailable', noTranscriptionMessage);
  const limits = audioUploadLimits();
  const tempFile = await newTempFile('upload');
  try {
    const { hash, bytes } = await receiveToFile(body, tempFile, { maxBytes: limits.maxBytes, noun: 'recording' });
    await checkUploadQuota(caller, bytes);
    const info = await probeAudio(tempFile, limits);
    if (info.hasVideo) throw new AppError('unsupported_type', 'This file is a video: add it as a video, and its sound is transcribed with it.');
    const seconds = Math.ceil(info.durationMs / 1000);
    await checkMinutesQuota(caller, 'audio', seconds);
    const waveform = await makeWaveform(tempFile);
    const mediaType = mediaTypeOf(info);
    return await storeQueuedUpload({
      caller,
      tempFile,
      hash,
      media: { kind: 'audio', mediaType, filename, bytes, width: waveform.width, height: waveform.height, durationMs: info.durationMs },
      preview: waveform.data,
      usage: [{ kind: 'audio_seconds', amount: seconds }],
      job: { queue: queues.audioProcess.name, modelId: model.id, settings: {} },
    });
  } finally {
    await rm(tempFile, { force: true });
  }
}
