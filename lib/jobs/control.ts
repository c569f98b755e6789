import { randomUUID } from 'node:crypto';
import { fromPrisma } from 'pg-boss';
import { db } from '@/lib/db/client';
import { cancelVideoJob, requeueVideoJob } from '@/lib/db/video-jobs';
import { AppError } from '@/lib/errors';
import { jobQueue, processingQueue } from '@/lib/jobs/boss';

// Callers have already checked who asks (the owner's routes, the admin's actions).

const noun = (kind: string) => (kind === 'audio' ? 'recording' : 'video');

async function jobOf(mediaId: string) {
  return db().videoJob.findUnique({ where: { mediaId }, select: { queueJobId: true, media: { select: { kind: true } } } });
}

/** Stops processing a video or recording; it can be retried later. */
export async function cancelProcessing(mediaId: string): Promise<void> {
  const job = await jobOf(mediaId);
  const kind = job?.media.kind ?? 'video';
  if (!(await cancelVideoJob(mediaId))) throw new AppError('conflict', `This ${noun(kind)} is not being processed, so there is nothing to cancel.`);
  // The row already says canceled, and a running worker stops at its next progress report; this
  // spares a queued job the trip to a worker.
  if (job?.queueJobId) await (await jobQueue()).cancel(processingQueue(kind).name, job.queueJobId).catch(() => {});
}

/** Queues a failed or canceled video or recording again; it resumes after the stages it finished. */
export async function retryProcessing(mediaId: string): Promise<void> {
  const kind = (await jobOf(mediaId))?.media.kind ?? 'video';
  const boss = await jobQueue();
  const queueJobId = randomUUID();
  const requeued = await db().$transaction(async (tx) => {
    if (!(await requeueVideoJob(tx, mediaId, queueJobId))) return false;
    await boss.send(processingQueue(kind).name, { mediaId }, { id: queueJobId, db: fromPrisma(tx) });
    return true;
  });
  if (!requeued) throw new AppError('conflict', `Only a failed or canceled ${noun(kind)} can be retried.`);
}
