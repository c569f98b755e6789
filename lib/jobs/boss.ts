import { PgBoss, type QueueOptions } from 'pg-boss';
import { jobTimeLimitSeconds } from '@/lib/config';
import { PROCESSING_RETRIES } from '@/lib/jobs/retries';

function secondsFromEnv(name: string, fallback: number, min: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value >= min ? value : fallback;
}

const processingOptions = {
  // A worker that dies (killed server, lost machine) stops sending heartbeats; this long after
  // the last one the job is retried elsewhere, and resumes from the stages its VideoJob row
  // says are done. pg-boss allows no less than 10 s.
  heartbeatSeconds: secondsFromEnv('JOB_HEARTBEAT_SECONDS', 30, 10),
  retryLimit: PROCESSING_RETRIES,
  retryDelay: 5,
  retryBackoff: true,
  // The attempt stops itself at the limit (lib/jobs/attempt.ts); the queue's expiry is the backstop.
  expireInSeconds: jobTimeLimitSeconds() + 10 * 60,
} satisfies QueueOptions;

/**
 * Queues as data: each one's retry and liveness rules live here, next to its name. Videos,
 * recordings and image batches are processed alike but apart, so none waits behind an hour of video.
 */
export const queues = {
  videoProcess: { name: 'video-process', options: processingOptions },
  audioProcess: { name: 'audio-process', options: processingOptions },
  // A batch stores every item as it finishes, so a retried attempt only takes what is left.
  batchRun: { name: 'batch-run', options: processingOptions },
} as const satisfies Record<string, { name: string; options: QueueOptions }>;

/** The queue that processes an upload of this kind. */
export const processingQueue = (kind: string) => (kind === 'audio' ? queues.audioProcess : queues.videoProcess);

const SCHEMA = 'pgboss';

const holder = globalThis as unknown as { glimpseBoss?: Promise<PgBoss> };

/** The queue on the app's own database (pg-boss keeps its tables in the `pgboss` schema), started once per process. */
export function jobQueue(): Promise<PgBoss> {
  holder.glimpseBoss ??= start().catch((error) => {
    holder.glimpseBoss = undefined;
    throw error;
  });
  return holder.glimpseBoss;
}

async function start(): Promise<PgBoss> {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) throw new Error('DATABASE_URL is not set: the job queue lives in the app database');
  // The supervisor's monitor pass is what notices a missed heartbeat (its default is once a minute),
  // so it looks about as often as heartbeats are due.
  const interval = secondsFromEnv('JOB_SUPERVISE_SECONDS', 15, 1);
  const boss = new PgBoss({ connectionString, schema: SCHEMA, max: 4, superviseIntervalSeconds: interval, monitorIntervalSeconds: interval });
  boss.on('error', (error) => console.error('job queue:', error));
  await boss.start();
  for (const queue of Object.values(queues)) {
    if (await boss.getQueue(queue.name)) await boss.updateQueue(queue.name, queue.options);
    else await boss.createQueue(queue.name, queue.options);
  }
  return boss;
}

export async function stopJobQueue(): Promise<void> {
  const boss = holder.glimpseBoss;
  holder.glimpseBoss = undefined;
  if (boss) await (await boss).stop({ graceful: true, timeout: 10_000 });
}
