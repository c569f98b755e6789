import { createHash } from 'node:crypto';
import { isPermanent } from '@/lib/ai/provider-errors';
import { defaultModel, findModel } from '@/lib/ai/registry';
import { transcriptionModel } from '@/lib/ai/transcription';
import { videoUploadLimits } from '@/lib/config';
import { setMediaTranscript } from '@/lib/db/transcripts';
import { framesFolder, framesOf, saveCaptions, saveFrames, type NewFrame } from '@/lib/db/video-jobs';
import { AppError } from '@/lib/errors';
import { runAttempt, type ProcessingTask } from '@/lib/jobs/attempt';
import { storePlaybackCopy } from '@/lib/jobs/playback-copy';
import { stageStart } from '@/lib/jobs/progress';
import { transcribeSound } from '@/lib/jobs/transcript';
import { captionFrames, FRAMES_PER_CAPTION_CALL, summarizeTimeline, type FrameToCaption } from '@/lib/jobs/video/captions';
import { frameSelectionSettings, selectFrames, type FrameSelectionSettings } from '@/lib/media/video/frames';
import { makePlaybackCopy } from '@/lib/media/video/playback';
import { probeVideo } from '@/lib/media/video/probe';
import { formatTimestamp } from '@/lib/media/video/timestamps';
import { getBlobStore } from '@/lib/storage';
import { localCopy } from '@/lib/storage/local-copy';

/**
 * Probe → frame selection → captions → summary → transcript of its sound → playback copy, for
 * one video. Restart-safe: frames are stored once (the row says so), captions and the transcript
 * already made come back from the cache, so an attempt that resumes after a crash repeats no
 * model call and duplicates nothing.
 */
export function processVideo(task: ProcessingTask): Promise<void> {
  return runAttempt(task, async ({ media, job, signal, progress, calls, lastAttempt }) => {
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
        const done = captionFrames(group, model, signal).then(({ captions: made, call }) => {
          calls.count(call);
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
          signal,
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
      const summary = await summarizeTimeline(timeline, model, signal);
      calls.count(summary);
      await calls.flush(media.id);

      // Without a transcription model the video is still described, from its pictures alone.
      if (info.hasAudio && !media.transcriptId && transcriptionModel()) {
        await progress.report('transcript', stageStart.transcript, true);
        try {
          const transcript = await transcribeSound(input.file, {
            limits: videoUploadLimits(),
            signal,
            calls,
            onProgress: (share) => void progress.report('transcript', stageStart.transcript + (stageStart.playback - stageStart.transcript) * share),
          });
          signal.throwIfAborted();
          await setMediaTranscript(media.id, transcript.id);
        } catch (error) {
          // A transcription server still failing on the last attempt, or failing for good, does not
          // sink a described video: it goes without speech.
          if (signal.aborted || (!lastAttempt && !isPermanent(error))) throw error;
          console.error(`video ${media.id}: transcription failed on the last attempt; kept without speech`, error);
        }
      }

      await progress.report('playback', stageStart.playback, true);
      await storePlaybackCopy(media, 'video/mp4', (output) =>
        makePlaybackCopy(input.file, output, info, {
          signal,
          onProgress: (ms) => void progress.report('playback', stageStart.playback + (1 - stageStart.playback) * (ms / info.durationMs)),
        }),
      );
      return { summary: summary.text.trim() };
    } finally {
      await input.cleanup();
    }
  });
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
