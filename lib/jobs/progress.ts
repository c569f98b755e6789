import { reportProgress, type AudioStage, type ProcessingStage, type VideoStage } from '@/lib/db/video-jobs';

// Progress lands in a row the UI polls: twice a second is live enough, and spares the database.
const MIN_INTERVAL_MS = 500;

/** Where each stage's share of the bar starts; captions overlap frame selection, so they share one span. */
export const stageStart: Record<VideoStage, number> = { probe: 0, frames: 0.03, captions: 0.5, summary: 0.84, transcript: 0.86, playback: 0.93, done: 1 };

/** A recording's bar is mostly its transcription. */
export const audioStageStart: Record<AudioStage, number> = { probe: 0, transcript: 0.03, playback: 0.92, done: 1 };

/**
 * Throttled progress writes for one attempt. A write that finds the job no longer this attempt's
 * (canceled, deleted, taken over) aborts `stop`, which ends ffmpeg and the model calls.
 */
export function progressReporter(mediaId: string, queueJobId: string, stop: AbortController) {
  let last = 0;
  let pending: Promise<void> = Promise.resolve();
  let canceled = false;

  async function write(stage: ProcessingStage, progress: number) {
    const mine = await reportProgress(mediaId, queueJobId, { stage, progress: Math.min(1, Math.max(0, progress)) });
    if (!mine && !canceled) {
      canceled = true;
      stop.abort(new Error('the job was canceled'));
    }
  }

  return {
    get canceled() {
      return canceled;
    },
    /** Records the position now when `force`d, else at most every half second. */
    report(stage: ProcessingStage, progress: number, force = false): Promise<void> {
      const now = Date.now();
      if (!force && now - last < MIN_INTERVAL_MS) return pending;
      last = now;
      pending = pending.then(() => write(stage, progress)).catch((error) => console.error('could not record job progress', error));
      return pending;
    },
  };
}
