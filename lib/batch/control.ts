import { randomUUID } from 'node:crypto';
import { fromPrisma } from 'pg-boss';
import { checkBatchQuota, type Caller } from '@/lib/auth/quotas';
import type { BatchColumn } from '@/lib/batch/types';
import { cancelBatch, createBatch, requeueBatch } from '@/lib/db/batches';
import { db } from '@/lib/db/client';
import { recordUsage } from '@/lib/db/usage';
import { AppError } from '@/lib/errors';
import { jobQueue, queues } from '@/lib/jobs/boss';

// Callers have already checked who asks and that the model exists.

export interface StartBatch {
  prompt: string;
  modelId: string;
  detail: string;
  columns: BatchColumn[];
  mediaIds: string[];
}

/**
 * Creates the batch with its items, charges its images as messages and queues its job, all in one
 * transaction: a batch exists only with its job, and a refused one leaves nothing.
 */
export async function startBatch(caller: Caller, input: StartBatch): Promise<string> {
  await checkBatchQuota(caller, input.mediaIds.length);
  const owned = await db().media.findMany({ where: { id: { in: input.mediaIds }, userId: caller.id }, select: { id: true, kind: true } });
  const found = new Map(owned.map((m) => [m.id, m.kind]));
  const missing = input.mediaIds.filter((id) => !found.has(id)).length;
  if (missing > 0) throw new AppError('not_found', `${missing} of the batch's images no longer exist. Remove them and start again.`);
  if ([...found.values()].some((kind) => kind !== 'image')) throw new AppError('bad_request', 'A batch takes images only; send videos and recordings in the chat.');

  const boss = await jobQueue();
  const queueJobId = randomUUID();
  return db().$transaction(async (tx) => {
    const batch = await createBatch(tx, { userId: caller.id, ...input, columns: input.columns as unknown as object[], queueJobId, apiKeyId: caller.keyId });
    await recordUsage({ userId: caller.id, kind: 'message', amount: input.mediaIds.length }, tx);
    await boss.send(queues.batchRun.name, { batchId: batch.id }, { id: queueJobId, db: fromPrisma(tx) });
    return batch.id;
  });
}

export async function stopBatch(batchId: string): Promise<void> {
  const job = await db().batch.findUnique({ where: { id: batchId }, select: { queueJobId: true } });
  if (!(await cancelBatch(batchId))) throw new AppError('conflict', 'This batch is not running, so there is nothing to cancel.');
  // The row already says canceled and a running attempt notices within a second; this spares a
  // queued job the trip to a worker.
  if (job?.queueJobId) await (await jobQueue()).cancel(queues.batchRun.name, job.queueJobId).catch(() => {});
}

/** Continues a canceled batch, or with `retryFailed` also redoes its failed images; finished ones are kept. */
export async function continueBatch(batchId: string, options: { retryFailed: boolean }): Promise<void> {
  if (options.retryFailed && (await db().batchItem.count({ where: { batchId, status: 'failed' } })) === 0) {
    throw new AppError('conflict', 'No image of this batch failed, so there is nothing to retry.');
  }
  const boss = await jobQueue();
  const queueJobId = randomUUID();
  const requeued = await db().$transaction(async (tx) => {
    if (!(await requeueBatch(tx, batchId, queueJobId, options))) return false;
    await boss.send(queues.batchRun.name, { batchId }, { id: queueJobId, db: fromPrisma(tx) });
    return true;
  });
  if (!requeued) {
    throw new AppError('conflict', options.retryFailed ? 'Wait for the batch to finish or cancel it before retrying its failed images.' : 'Only a canceled batch can be resumed.');
  }
}
