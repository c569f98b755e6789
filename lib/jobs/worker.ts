import { jobQueue, queues } from '@/lib/jobs/boss';
import { processAudio } from '@/lib/jobs/audio/process';
import type { ProcessingTask } from '@/lib/jobs/attempt';
import { runBatch } from '@/lib/jobs/batch/run';
import { processVideo } from '@/lib/jobs/video/process';

function positiveIntFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/** `WORKER_QUEUES=batch-run,audio-process` takes those queues' jobs only (e.g. a machine without ffmpeg power); unset, all. */
function wanted(name: string): boolean {
  const list = (process.env.WORKER_QUEUES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return list.length === 0 || list.includes(name);
}

/**
 * Takes jobs from the queues in this process: in the app server by default, or in `npm run worker`
 * processes on other machines. Per process, VIDEO_WORKERS videos at once (ffmpeg decoding wants a
 * core each), AUDIO_WORKERS recordings (mostly waiting on the transcription server) and
 * BATCH_WORKERS image batches (waiting on the model); the model calls of all of them share one
 * limiter per provider.
 */
export async function startWorkers(): Promise<void> {
  const boss = await jobQueue();
  const work = async (queue: (typeof queues)[keyof typeof queues], concurrency: number, process: (task: ProcessingTask) => Promise<void>) =>
    wanted(queue.name) &&
    boss.work<{ mediaId: string }>(queue.name, { localConcurrency: concurrency, pollingIntervalSeconds: 1 }, async ([job]) =>
      process({ id: job.id, mediaId: job.data.mediaId, signal: job.signal, retry: job.retryCount, lastAttempt: job.retryCount >= queue.options.retryLimit }),
    );
  await work(queues.videoProcess, positiveIntFromEnv('VIDEO_WORKERS', 1), processVideo);
  await work(queues.audioProcess, positiveIntFromEnv('AUDIO_WORKERS', 2), processAudio);
  if (wanted(queues.batchRun.name)) {
    await boss.work<{ batchId: string }>(
      queues.batchRun.name,
      { localConcurrency: positiveIntFromEnv('BATCH_WORKERS', 2), pollingIntervalSeconds: 1 },
      async ([job]) => runBatch({ id: job.id, batchId: job.data.batchId, signal: job.signal }),
    );
  }
}
