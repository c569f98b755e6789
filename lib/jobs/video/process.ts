import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { defaultModel, findModel } from '@/lib/ai/registry';
import { describeModelError } from '@/lib/chat/model-errors';
import { videoUploadLimits } from '@/lib/config';
import {
  awaitRetry,
  claimVideoJob,
  countModelCalls,
  finishVideoJob,
  framesFolder,
  framesOf,
  getVideoMany,
  saveCaptions,
  saveFrames,
  savePlaybackKey,
  type NewFrame,
} from '@/lib/db/video-jobs';
import { AppError } from '@/lib/errors';
import { captionFrames, FRAMES_PER_CAPTION_CALL, summarizeTimeline, type FrameToCaption } from '@/lib/jobs/video/captions';
import { progressReporter, stageStart } from '@/lib/jobs/video/progress';
import type { CallResult } from '@/lib/jobs/video/model-call';
import { frameSelectionSettings, selectFrames, type FrameSelectionSettings } from '@/lib/media/video/frames';
import { makePlaybackCopy } from '@/lib/media/video/playback';
import { probeVideo, type VideoInfo } from '@/lib/media/video/probe';
import { formatTimestamp } from '@/lib/media/video/timestamps';
import { blobExists, getBlobStore } from '@/lib/storage';
import { newTempFile } from '@/lib/storage/temp';
import { blobKeys, freeContentIfUnused } from '@/lib/uploads/content-blobs';

export interface VideoTask {
  /** The queue's job id: identifies this attempt in the VideoJob row. */
  id: string;
  mediaId: string;
  /** Aborted by the queue when this attempt's claim is lost (canceled, or its heartbeat lapsed). */
  signal: AbortSignal;
  /** True on the queue's last attempt: a failure now is reported to the person rather than retried. */
  lastAttempt: boolean;
}

/**
 * Probe → frame selection → captions → summary, for one video. Restart-safe: frames are stored
 * once (the row says so), captions already made come back from the cache, so an attempt that
 * resumes after a crash repeats no model call and duplicates nothing.
 */
export async function processVideo(task: VideoTask): Promise<void> {
  const job = await claimVideoJob(task.mediaId, task.id);
  if (!job) return;
  const [media] = await getVideoMany([task.mediaId]);
  if (!media) return;

  const stop = new AbortController();
  const onQueueAbort = () => stop.abort(task.signal.reason);
  task.signal.addEventListener('abort', onQueueAbort, { once: true });
  const progress = progressReporter(media.id, task.id, stop);
  const calls = { live: 0, cached: 0, costUsd: 0 };
  const count = (call: CallResult) => {
    if (call.live) calls.live++;
    else calls.cached++;
    calls.costUsd += call.costUsd;
  };

  try {
    await progress.report('probe', stageStart.probe, true);
    const input = await localCopy(media.originalKey);
    try {
      const info = await probeVideo(input.file, videoUploadLimits());
      const model = (await findModel(job.modelId)) ?? (await defaultModel());
      if (!model) throw new AppError('model_unavailable', 'No vision model is configured on this server, so the video cannot be described. Ask the administrator to add one, then retry.');

      const captions = new Map<number, string>();
      const captionTasks: Promise<void>[] = [];
      let captionCalls = 0;
      let captionsDone = 0;
      const caption = (group: FrameToCaption[]) => {
        captionCalls++;
        const done = captionFrames(group, model, stop.signal).then(({ captions: made, call }) => {
          count(call);
          for (const c of made) captions.set(c.index, c.caption);
          captionsDone++;
        });
        // Observed here so a failure while frames are still being chosen is not "unhandled"; awaited below.
        done.catch(() => {});
        captionTasks.push(done);
      };

      let frames = job.framesDone ? await framesOf(media.id) : null;
      if (!frames) {
        const settings: FrameSelectionSettings = { ...frameSelectionSettings(), ...((job.settings as { frames?: object }).frames ?? {}) };
        const folder = `${framesFolder(media.sha256)}/${settingsKey(settings)}`;
        const store = getBlobStore();
        const rows: NewFrame[] = [];
        let group: FrameToCaption[] = [];
        for await (const frame of selectFrames(input.file, info, settings, {
          signal: stop.signal,
          onProgress: (ms) => void progress.report('frames', stageStart.frames + (stageStart.captions - stageStart.frames) * (ms / info.durationMs)),
        })) {
          const thumbKey = `${folder}/${frame.index}.jpg`;
          await store.put(thumbKey, frame.jpeg, 'image/jpeg');
          rows.push({ index: frame.index, timeMs: frame.timeMs, endMs: info.durationMs, reason: frame.reason, hash: frame.hash, thumbKey, width: frame.width, height: frame.height });
          group.push(frame);
          if (group.length === FRAMES_PER_CAPTION_CALL) {
            caption(group);
            group = [];
          }
        }
        if (group.length > 0) caption(group);
        // A scene lasts until the next selected frame.
        for (let i = 0; i < rows.length - 1; i++) rows[i].endMs = rows[i + 1].timeMs;
        await saveFrames(media.id, rows);
        frames = await framesOf(media.id);
      } else {
        const missing = frames.filter((f) => f.caption === null);
        for (let i = 0; i < missing.length; i += FRAMES_PER_CAPTION_CALL) {
          const group = await Promise.all(missing.slice(i, i + FRAMES_PER_CAPTION_CALL).map((f) => withJpeg(f)));
          caption(group);
        }
      }

      const ticker = setInterval(() => {
        const share = captionCalls === 0 ? 1 : captionsDone / captionCalls;
        void progress.report('captions', stageStart.captions + (stageStart.summary - stageStart.captions) * share);
      }, 500);
      try {
        await Promise.all(captionTasks);
      } finally {
        clearInterval(ticker);
      }
      if (captions.size > 0) await saveCaptions(media.id, [...captions].map(([index, text]) => ({ index, caption: text })));

      await progress.report('summary', stageStart.summary, true);
      const captioned = await framesOf(media.id);
      const timeline = captioned.map((f) => `[${formatTimestamp(f.timeMs)}] ${f.caption ?? ''}`).join('\n');
      const summary = await summarizeTimeline(timeline, model, stop.signal);
      count(summary);
      await countModelCalls(media.id, calls);
      calls.live = calls.cached = calls.costUsd = 0;

      await progress.report('playback', stageStart.playback, true);
      if (!media.playbackKey) {
        await storePlaybackCopy(media.sha256, input.file, info, stop.signal, (ms) =>
          void progress.report('playback', stageStart.playback + (1 - stageStart.playback) * (ms / info.durationMs)),
        );
        await savePlaybackKey(media.id, blobKeys(media.sha256).playbackKey);
      }
      await finishVideoJob(media.id, task.id, { status: 'succeeded', summary: summary.text.trim() });
    } finally {
      await input.cleanup();
    }
  } catch (error) {
    if (progress.canceled) {
      // Deleted while frames were being written: those frames would otherwise outlive it.
      if ((await getVideoMany([media.id])).length === 0) await freeContentIfUnused(media.sha256);
      return;
    }
    await countModelCalls(media.id, calls).catch(() => {});
    const message = describeVideoError(error);
    if (task.lastAttempt) {
      await finishVideoJob(media.id, task.id, { status: 'failed', error: message });
      return;
    }
    // Shown while the queue waits to retry with backoff; the next attempt clears it.
    await awaitRetry(media.id, task.id, `${message} Retrying…`);
    throw error;
  } finally {
    task.signal.removeEventListener('abort', onQueueAbort);
    // Caption calls still in flight after a failure belong to no one now.
    if (!stop.signal.aborted) stop.abort(new Error('the attempt has ended'));
  }
}

/**
 * The watchable copy is content-addressed like the original: another upload of the same bytes may
 * already have made it, and then there is nothing to do.
 */
async function storePlaybackCopy(sha256: string, input: string, info: VideoInfo, signal: AbortSignal, onProgress: (ms: number) => void) {
  const { playbackKey } = blobKeys(sha256);
  if (await blobExists(playbackKey)) return;
  const file = await newTempFile('playback', '.mp4');
  try {
    await makePlaybackCopy(input, file, info, { signal, onProgress });
    await getBlobStore().putFile(playbackKey, file, 'video/mp4');
  } finally {
    await rm(file, { force: true });
  }
}

function describeVideoError(error: unknown): string {
  if (error instanceof AppError) return error.message;
  return describeModelError(error);
}

/** Settings decide which frames exist, so frames made under other settings live in another folder. */
function settingsKey(settings: FrameSelectionSettings): string {
  return createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 16);
}

async function withJpeg(frame: { index: number; timeMs: number; thumbKey: string; width: number; height: number }): Promise<FrameToCaption> {
  const jpeg = await getBlobStore().get(frame.thumbKey);
  if (!jpeg) throw new Error(`frame ${frame.thumbKey} is missing from storage`);
  return { index: frame.index, timeMs: frame.timeMs, jpeg, width: frame.width, height: frame.height };
}

/** ffmpeg needs a file: the stored one itself on local disk, else a temporary download. */
async function localCopy(key: string): Promise<{ file: string; cleanup: () => Promise<void> }> {
  const store = getBlobStore();
  const onDisk = store.localFile(key);
  if (onDisk) return { file: onDisk, cleanup: async () => {} };
  const blob = await store.read(key);
  if (!blob) throw new Error(`video ${key} is missing from storage`);
  const file = await newTempFile('video');
  await pipeline(Readable.fromWeb(blob.stream as import('node:stream/web').ReadableStream<Uint8Array>), createWriteStream(file));
  return { file, cleanup: () => rm(file, { force: true }) };
}
