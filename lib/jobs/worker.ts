import { jobQueue, queues } from '@/lib/jobs/boss';
import { processVideo } from '@/lib/jobs/video/process';

function positiveIntFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/**
 * Takes jobs from the queue in this process: in the app server by default, or in `npm run worker`
 * processes on other machines. VIDEO_WORKERS videos at once per process (ffmpeg decoding wants a
 * core each); the model calls of all of them share one limiter.
 */
export async function startWorkers(): Promise<void> {
  const boss = await jobQueue();
  const { name, options } = queues.videoProcess;
  await boss.work<{ mediaId: string }>(
    name,
    { localConcurrency: positiveIntFromEnv('VIDEO_WORKERS', 1), pollingIntervalSeconds: 1 },
    async ([job]) =>
      processVideo({ id: job.id, mediaId: job.data.mediaId, signal: job.signal, lastAttempt: job.retryCount >= options.retryLimit }),
  );
}
