import { db } from '@/lib/db/client';
import type { Tx } from '@/lib/db/media';
import type { BatchItemStatus, Prisma } from '@/lib/generated/prisma/client';

export interface NewBatch {
  userId: string;
  prompt: string;
  modelId: string;
  detail: string;
  columns: Prisma.InputJsonValue;
  queueJobId: string;
  mediaIds: string[];
  apiKeyId?: string;
}

export async function createBatch(tx: Tx, batch: NewBatch) {
  const { mediaIds, ...fields } = batch;
  const created = await tx.batch.create({ data: fields });
  await tx.batchItem.createMany({ data: mediaIds.map((mediaId, index) => ({ batchId: created.id, index, mediaId })) });
  return created;
}

/** A batch the user owns: null for someone else's (or none), so routes answer 404 alike. */
export function getOwnedBatch(userId: string, id: string) {
  return db().batch.findFirst({ where: { id, userId } });
}

export function getBatch(id: string) {
  return db().batch.findUnique({ where: { id } });
}

export function listBatches(userId: string) {
  return db().batch.findMany({ where: { userId }, orderBy: { createdAt: 'desc' }, take: 100 });
}

const itemView = { include: { media: { select: { filename: true } } }, orderBy: { index: 'asc' } } as const;

export function batchItems(batchId: string) {
  return db().batchItem.findMany({ where: { batchId }, ...itemView });
}

/** Items changed after `since`: what a progress stream sends next. */
export function batchItemsChangedSince(batchId: string, since: Date) {
  return db().batchItem.findMany({ where: { batchId, updatedAt: { gt: since } }, ...itemView });
}

export async function countItems(batchIds: string[]) {
  const rows = await db().batchItem.groupBy({ by: ['batchId', 'status', 'cached'], where: { batchId: { in: batchIds } }, _count: { _all: true }, _sum: { costUsd: true } });
  return rows.map((r) => ({ batchId: r.batchId, status: r.status, cached: r.cached, count: r._count._all, costUsd: r._sum.costUsd }));
}

/** How many items finished since `since`: the recent pace behind throughput and ETA. */
export function countFinishedSince(batchId: string, since: Date) {
  return db().batchItem.count({ where: { batchId, finishedAt: { gte: since }, status: { in: ['succeeded', 'failed'] } } });
}

/**
 * An attempt of the queue job `queueJobId` takes the batch: only while the batch is meant to run
 * with that job. Items left running by a dead attempt go back to pending: they are redone, and
 * nothing finished is.
 */
export async function claimBatch(id: string, queueJobId: string) {
  return db().$transaction(async (tx) => {
    const claimed = await tx.batch.updateMany({
      where: { id, queueJobId, status: { in: ['queued', 'running'] } },
      data: { status: 'running', runStartedAt: new Date() },
    });
    if (claimed.count === 0) return null;
    await tx.batch.updateMany({ where: { id, startedAt: null }, data: { startedAt: new Date() } });
    await tx.batchItem.updateMany({ where: { batchId: id, status: 'running' }, data: { status: 'pending' } });
    return tx.batch.findUnique({ where: { id } });
  });
}

/** Whether the attempt still holds the batch (not canceled, not taken over by another attempt). */
export async function stillClaimed(id: string, queueJobId: string): Promise<boolean> {
  return (await db().batch.count({ where: { id, queueJobId, status: 'running' } })) > 0;
}

export function pendingItems(batchId: string) {
  return db().batchItem.findMany({
    where: { batchId, status: 'pending' },
    orderBy: { index: 'asc' },
    select: { id: true, media: { select: { id: true, sha256: true, originalKey: true, mediaType: true, width: true, height: true } } },
  });
}

export function markItem(id: string, status: BatchItemStatus) {
  return db().batchItem.updateMany({ where: { id }, data: { status } });
}

export interface ItemOutcome {
  status: 'succeeded' | 'failed';
  text?: string | null;
  result?: Prisma.InputJsonValue | null;
  error?: string | null;
  cached?: boolean;
  inputTokens?: number | null;
  outputTokens?: number | null;
  costUsd?: number | null;
  latencyMs?: number | null;
}

export function finishItem(id: string, outcome: ItemOutcome) {
  const { result, ...rest } = outcome;
  return db().batchItem.updateMany({ where: { id }, data: { ...rest, result: result ?? undefined, finishedAt: new Date() } });
}

/** Ends the attempt's run: completed when no item is left to do. */
export async function finishBatch(id: string, queueJobId: string, outcome: { status: 'completed' | 'failed'; error?: string }) {
  return db().batch.updateMany({
    where: { id, queueJobId, status: 'running' },
    data: { status: outcome.status, error: outcome.error ?? null, finishedAt: new Date(), queueJobId: null },
  });
}

/** Stops a queued or running batch; finished items stay, the rest wait for resume. */
export async function cancelBatch(id: string) {
  return db().$transaction(async (tx) => {
    const canceled = await tx.batch.updateMany({ where: { id, status: { in: ['queued', 'running'] } }, data: { status: 'canceled', finishedAt: new Date() } });
    if (canceled.count > 0) await tx.batchItem.updateMany({ where: { batchId: id, status: 'running' }, data: { status: 'pending' } });
    return canceled.count > 0;
  });
}

/**
 * Queues a batch again under a new queue job: a canceled one continues with its pending items, and
 * with `retryFailed` failed items are made pending again (their old answer and error cleared).
 */
export async function requeueBatch(tx: Tx, id: string, queueJobId: string, options: { retryFailed: boolean }) {
  const from = options.retryFailed ? (['completed', 'canceled', 'failed'] as const) : (['canceled', 'failed'] as const);
  const requeued = await tx.batch.updateMany({
    where: { id, status: { in: [...from] } },
    data: { status: 'queued', queueJobId, error: null, finishedAt: null },
  });
  if (requeued.count === 0) return false;
  if (options.retryFailed) {
    await tx.batchItem.updateMany({ where: { batchId: id, status: 'failed' }, data: { status: 'pending', error: null, finishedAt: null } });
  }
  return true;
}
