import { db } from '@/lib/db/client';
import type { Tx } from '@/lib/db/media';
import type { Prisma, VideoJobStatus } from '@/lib/generated/prisma/client';

export type VideoStage = 'probe' | 'frames' | 'captions' | 'summary' | 'transcript' | 'playback' | 'done';
export type AudioStage = 'probe' | 'transcript' | 'playback' | 'done';
export type ProcessingStage = VideoStage | AudioStage;

export interface NewFrame {
  index: number;
  timeMs: number;
  endMs: number;
  reason: string;
  hash: string;
  thumbKey: string;
  width: number;
  height: number;
}

export function createVideoJob(tx: Tx, data: { mediaId: string; queueJobId: string; modelId: string; settings: Prisma.InputJsonValue; apiKeyId?: string }) {
  return tx.videoJob.create({ data });
}

export function getVideoJob(mediaId: string) {
  return db().videoJob.findUnique({ where: { mediaId } });
}

/** A video the user owns, with its job: null for someone else's (or no) video. */
export function getOwnedVideo(userId: string, mediaId: string) {
  return db().media.findFirst({ where: { id: mediaId, userId, kind: 'video' }, include: { videoJob: true } });
}

/** A recording the user owns, with its job: null for someone else's (or no) recording. */
export function getOwnedAudio(userId: string, mediaId: string) {
  return db().media.findFirst({ where: { id: mediaId, userId, kind: 'audio' }, include: { videoJob: true } });
}

/** A video or recording as its processing job sees it. */
export function getProcessingMedia(id: string) {
  return db().media.findFirst({ where: { id, kind: { in: ['video', 'audio'] } }, include: { videoJob: true } });
}

export function getVideoMany(ids: string[]) {
  return db().media.findMany({ where: { id: { in: ids }, kind: 'video' }, include: { videoJob: true, frames: { orderBy: { index: 'asc' } } } });
}

/**
 * A worker takes the job: queued or running (a crashed attempt) becomes running under this queue
 * job. Null when there is nothing to do: the video was deleted, or the job was canceled or done.
 */
export async function claimVideoJob(mediaId: string, queueJobId: string, retry = 0) {
  const { count } = await db().videoJob.updateMany({
    where: { mediaId, status: { in: ['queued', 'running'] } },
    data: { status: 'running', queueJobId, retry, attempts: { increment: 1 }, startedAt: new Date(), error: null },
  });
  return count === 0 ? null : getVideoJob(mediaId);
}

/**
 * False when the job is no longer this attempt's to run (canceled, or the video deleted): stop.
 * Progress only moves forward: a retry redoing early stages leaves the bar (and its stage) where the
 * last attempt got to, until it passes that point.
 */
export async function reportProgress(mediaId: string, queueJobId: string, update: { stage: ProcessingStage; progress: number }): Promise<boolean> {
  const where = { mediaId, queueJobId, status: 'running' as const };
  const { count } = await db().videoJob.updateMany({ where: { ...where, progress: { lte: update.progress } }, data: update });
  return count > 0 || (await db().videoJob.count({ where })) > 0;
}

export async function finishVideoJob(
  mediaId: string,
  queueJobId: string,
  outcome: { status: Extract<VideoJobStatus, 'succeeded' | 'failed'>; error?: string; summary?: string },
): Promise<void> {
  await db().videoJob.updateMany({
    where: { mediaId, queueJobId, status: 'running' },
    data: {
      status: outcome.status,
      error: outcome.error ?? null,
      ...(outcome.summary !== undefined ? { summary: outcome.summary } : {}),
      ...(outcome.status === 'succeeded' ? { stage: 'done', progress: 1 } : {}),
      finishedAt: new Date(),
    },
  });
}

/** A failed attempt the queue will retry: queued again, saying what went wrong meanwhile. */
export async function awaitRetry(mediaId: string, queueJobId: string, error: string): Promise<void> {
  await db().videoJob.updateMany({ where: { mediaId, queueJobId, status: 'running' }, data: { status: 'queued', error } });
}

/** Stops a queued or running job; the worker notices at its next progress report. */
export async function cancelVideoJob(mediaId: string) {
  const { count } = await db().videoJob.updateMany({
    where: { mediaId, status: { in: ['queued', 'running'] } },
    data: { status: 'canceled', finishedAt: new Date() },
  });
  return count > 0;
}

/** A failed or canceled job goes back in line under a new queue job, keeping the stages it finished. */
export async function requeueVideoJob(tx: Tx, mediaId: string, queueJobId: string): Promise<boolean> {
  const { count } = await tx.videoJob.updateMany({
    where: { mediaId, status: { in: ['failed', 'canceled'] } },
    data: { status: 'queued', queueJobId, error: null, finishedAt: null },
  });
  return count > 0;
}

/** Stores the selected frames, replacing any a crashed attempt left, and marks the stage done. */
export async function saveFrames(mediaId: string, frames: NewFrame[]): Promise<void> {
  await db().$transaction([
    db().videoFrame.deleteMany({ where: { mediaId } }),
    db().videoFrame.createMany({ data: frames.map((f) => ({ ...f, mediaId })) }),
    db().videoJob.update({ where: { mediaId }, data: { framesDone: true } }),
  ]);
}

export function framesOf(mediaId: string) {
  return db().videoFrame.findMany({ where: { mediaId }, orderBy: { index: 'asc' } });
}

export async function saveCaptions(mediaId: string, captions: { index: number; caption: string }[]): Promise<void> {
  await db().$transaction(
    captions.map(({ index, caption }) => db().videoFrame.update({ where: { mediaId_index: { mediaId, index } }, data: { caption } })),
  );
}

export async function countModelCalls(mediaId: string, calls: { live: number; cached: number; costUsd: number }): Promise<void> {
  await db().videoJob.update({
    where: { mediaId },
    data: { modelCalls: { increment: calls.live }, cachedCalls: { increment: calls.cached }, costUsd: { increment: calls.costUsd } },
  });
}

/** Frame blobs of every video with this content hash live under one folder. */
export const framesFolder = (sha256: string) => `frames/${sha256}`;

export function countFrames(mediaId: string) {
  return db().videoFrame.count({ where: { mediaId } });
}

export function getOwnedFrame(userId: string, mediaId: string, index: number) {
  return db().videoFrame.findFirst({ where: { mediaId, index, media: { userId } } });
}

export async function savePlaybackKey(mediaId: string, playbackKey: string): Promise<void> {
  await db().media.update({ where: { id: mediaId }, data: { playbackKey } });
}
