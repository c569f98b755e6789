import { randomUUID } from 'node:crypto';
import { fromPrisma } from 'pg-boss';
import { db } from '@/lib/db/client';
import { cancelVideoJob, framesOf, getOwnedVideo, getVideoJob, requeueVideoJob } from '@/lib/db/video-jobs';
import { AppError, notFoundMessage } from '@/lib/errors';
import { videoView, type VideoView } from '@/lib/video/view';
import { jobQueue, queues } from '@/lib/jobs/boss';

// Callers have already checked who asks (the owner's routes, the admin's actions).

/** Stops processing a video; it can be retried later. */
export async function cancelVideo(mediaId: string): Promise<void> {
  const job = await getVideoJob(mediaId);
  if (!(await cancelVideoJob(mediaId))) throw new AppError('conflict', 'This video is not being processed, so there is nothing to cancel.');
  // The row already says canceled, and a running worker stops at its next progress report; this
  // spares a queued job the trip to a worker.
  if (job?.queueJobId) await (await jobQueue()).cancel(queues.videoProcess.name, job.queueJobId).catch(() => {});
}

/** Queues a failed or canceled video again; it resumes after the stages it finished. */
export async function retryVideo(mediaId: string): Promise<void> {
  const boss = await jobQueue();
  const queueJobId = randomUUID();
  const requeued = await db().$transaction(async (tx) => {
    if (!(await requeueVideoJob(tx, mediaId, queueJobId))) return false;
    await boss.send(queues.videoProcess.name, { mediaId }, { id: queueJobId, db: fromPrisma(tx) });
    return true;
  });
  if (!requeued) throw new AppError('conflict', 'Only a failed or canceled video can be retried.');
}

/** For the owner's routes: acts on the caller's own video, and returns it as the browser shows it next. */
export async function actOnOwnedVideo(userId: string, mediaId: string, act: (mediaId: string) => Promise<void>): Promise<VideoView> {
  if (!(await getOwnedVideo(userId, mediaId))) throw new AppError('not_found', notFoundMessage.video);
  await act(mediaId);
  return videoView((await getOwnedVideo(userId, mediaId))!, await framesOf(mediaId));
}
