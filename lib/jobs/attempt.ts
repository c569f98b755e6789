import { API_JOB_ROUTES, recordJobSpend } from '@/lib/auth/api-keys';
import { classifyProviderError, isPermanent } from '@/lib/ai/provider-errors';
import { describeModelError } from '@/lib/chat/model-errors';
import { awaitRetry, claimVideoJob, countModelCalls, finishVideoJob, getProcessingMedia } from '@/lib/db/video-jobs';
import { jobTimeLimitSeconds } from '@/lib/config';
import { AppError } from '@/lib/errors';
import { formatDuration } from '@/lib/media/duration';
import { progressReporter } from '@/lib/jobs/progress';
import { freeContentIfUnused } from '@/lib/uploads/content-blobs';

export interface ProcessingTask {
  /** The queue's job id: identifies this attempt in the job row. */
  id: string;
  mediaId: string;
  /** Aborted by the queue when this attempt's claim is lost (canceled, or its heartbeat lapsed). */
  signal: AbortSignal;
  /** True on the queue's last attempt: a failure now is reported to the person rather than retried. */
  lastAttempt: boolean;
  /** Which retry this attempt is (0, the default: the first try). */
  retry?: number;
}

/**
 * Model calls an attempt made or took from the cache, added to the job row for the admin's Jobs
 * view and, for a job started with an API key, what they spent to that key's usage.
 */
export class CallCounter {
  live = 0;
  cached = 0;
  costUsd = 0;
  inputTokens = 0;
  outputTokens = 0;
  constructor(private readonly key: { keyId: string; route: string } | null = null) {}
  count(call: { live: boolean; costUsd: number; inputTokens?: number | null; outputTokens?: number | null }) {
    if (call.live) {
      this.live++;
      this.inputTokens += call.inputTokens ?? 0;
      this.outputTokens += call.outputTokens ?? 0;
    } else this.cached++;
    this.costUsd += call.costUsd;
  }
  async flush(mediaId: string) {
    await countModelCalls(mediaId, this);
    // The job's own record is written; a usage row failing must not fail the job.
    if (this.key) await recordJobSpend(this.key.keyId, this.key.route, this).catch((error) => console.error(`job spending of key ${this.key?.keyId} not recorded:`, error));
    this.live = this.cached = this.costUsd = this.inputTokens = this.outputTokens = 0;
  }
}

type Media = NonNullable<Awaited<ReturnType<typeof getProcessingMedia>>>;
type Job = NonNullable<Awaited<ReturnType<typeof claimVideoJob>>>;

export interface Attempt {
  media: Media;
  job: Job;
  signal: AbortSignal;
  progress: ReturnType<typeof progressReporter>;
  calls: CallCounter;
  /** A failure now is final: a stage that can do without its result may go on without it. */
  lastAttempt: boolean;
}

/**
 * One attempt at a video's or recording's job: claims it, runs `work`, and records the outcome.
 * A failure before the last attempt is shown while the queue waits to retry; on the last one it
 * is the job's final word. Cancellation (or deletion) stops ffmpeg and model calls through `signal`.
 */
export async function runAttempt(task: ProcessingTask, work: (attempt: Attempt) => Promise<{ summary?: string }>): Promise<void> {
  const job = await claimVideoJob(task.mediaId, task.id, task.retry);
  if (!job) return;
  const media = await getProcessingMedia(task.mediaId);
  if (!media) return;

  const stop = new AbortController();
  const onQueueAbort = () => stop.abort(task.signal.reason);
  task.signal.addEventListener('abort', onQueueAbort, { once: true });
  const progress = progressReporter(media.id, task.id, stop);
  const limitSeconds = jobTimeLimitSeconds();
  let overTime = false;
  const deadline = setTimeout(() => {
    overTime = true;
    stop.abort(new Error('the attempt took too long'));
  }, limitSeconds * 1000);
  const calls = new CallCounter(job.apiKeyId ? { keyId: job.apiKeyId, route: media.kind === 'video' ? API_JOB_ROUTES.video : API_JOB_ROUTES.recording } : null);
  try {
    const { summary } = await work({ media, job, signal: stop.signal, progress, calls, lastAttempt: task.lastAttempt });
    await calls.flush(media.id);
    await finishVideoJob(media.id, task.id, { status: 'succeeded', summary });
  } catch (error) {
    if (progress.canceled) {
      // Deleted while frames or copies were being written: those would otherwise outlive it.
      if (!(await getProcessingMedia(media.id))) await freeContentIfUnused(media.sha256);
      return;
    }
    await calls.flush(media.id).catch(() => {});
    if (overTime) {
      // Another attempt would take as long again: this is the job's final word.
      await finishVideoJob(media.id, task.id, {
        status: 'failed',
        error: `Processing took longer than ${formatDuration(limitSeconds * 1000)}, the limit, and was stopped. A shorter or smaller file will work.`,
      });
      return;
    }
    const message = describeJobError(error);
    // A permanent failure (bad key, unknown model, an unreadable answer, a file we cannot read)
    // would fail every retry alike.
    if (task.lastAttempt || error instanceof AppError || isPermanent(error)) {
      await finishVideoJob(media.id, task.id, { status: 'failed', error: message });
      return;
    }
    // Shown, with "retrying n/3", while the queue waits to retry with backoff; the next attempt clears it.
    await awaitRetry(media.id, task.id, message);
    throw error;
  } finally {
    clearTimeout(deadline);
    task.signal.removeEventListener('abort', onQueueAbort);
    // Model calls still in flight after a failure belong to no one now.
    if (!stop.signal.aborted) stop.abort(new Error('the attempt has ended'));
  }
}

/** What the person is told: our own errors as they are, a model's as chat tells them, anything else (ffmpeg, storage) plainly. */
function describeJobError(error: unknown): string {
  if (error instanceof AppError || classifyProviderError(error)) return describeModelError(error);
  console.error('processing failed', error);
  return 'Something went wrong on our side while processing it.';
}
