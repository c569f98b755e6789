import { NoObjectGeneratedError } from 'ai';
import { setMaxListeners } from 'node:events';
import PQueue from 'p-queue';
import { findModel } from '@/lib/ai/registry';
import { API_JOB_ROUTES, recordJobSpend } from '@/lib/auth/api-keys';
import { sleep } from '@/lib/ai/retry';
import type { BatchColumn } from '@/lib/batch/types';
import { classifyProviderError } from '@/lib/ai/provider-errors';
import { describeModelError } from '@/lib/chat/model-errors';
import { claimBatch, finishBatch, finishItem, markItem, pendingItems, stillClaimed } from '@/lib/db/batches';
import { analyzeImage, type BatchRequest, type ItemAnswer } from '@/lib/jobs/batch/item';
import type { Detail } from '@/lib/media/types';

export interface BatchTask {
  /** The queue's job id: the batch row names the job meant to run it. */
  id: string;
  batchId: string;
  /** Aborted by the queue when this attempt's claim is lost. */
  signal: AbortSignal;
}

function positiveIntFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

const CLAIM_CHECK_MS = 1000;
// A server error or a malformed answer gets one more try before the item is marked failed.
const ITEM_ATTEMPTS = 2;
const ITEM_RETRY_PAUSE_MS = 1000;

/**
 * Runs a batch's pending items. Items are fed to the model limiter a few at a time (the limiter
 * decides how many calls are really in flight across every job of this process); each finished
 * item is stored at once, so a crash or a cancel loses only the calls in flight, and a later
 * attempt takes only what is still pending. One item failing never stops the others.
 */
export async function runBatch(task: BatchTask): Promise<void> {
  const batch = await claimBatch(task.batchId, task.id);
  if (!batch) return;

  const stop = new AbortController();
  // Every item in flight listens to it: BATCH_FEED listeners at once is expected, not a leak.
  setMaxListeners(0, stop.signal);
  const onQueueAbort = () => stop.abort(task.signal.reason);
  task.signal.addEventListener('abort', onQueueAbort, { once: true });
  // Cancel is a row update, possibly from another process: noticed here within a second.
  const watcher = setInterval(() => {
    stillClaimed(batch.id, task.id)
      .then((claimed) => claimed || stop.abort(new Error('the batch was canceled')))
      .catch(() => {});
  }, CLAIM_CHECK_MS);
  try {
    const model = await findModel(batch.modelId);
    if (!model) {
      await finishBatch(batch.id, task.id, { status: 'failed', error: `The model "${batch.modelId}" is no longer available on this server. Start a new batch with another model.` });
      return;
    }
    const request: BatchRequest = { model, prompt: batch.prompt, detail: batch.detail as Detail, columns: batch.columns as unknown as BatchColumn[] };
    const feed = new PQueue({ concurrency: positiveIntFromEnv('BATCH_FEED', 32) });
    const items = await pendingItems(batch.id);
    await Promise.all(items.map((item) => feed.add(() => runItem(item, request, batch.apiKeyId, stop.signal))));
    if (stop.signal.aborted) return;
    await finishBatch(batch.id, task.id, { status: 'completed' });
  } finally {
    clearInterval(watcher);
    task.signal.removeEventListener('abort', onQueueAbort);
  }
}

type PendingItem = Awaited<ReturnType<typeof pendingItems>>[number];

async function runItem(item: PendingItem, request: BatchRequest, keyId: string | null, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  await markItem(item.id, 'running');
  const startedAt = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      const answer = await analyzeImage(item.media, request, signal);
      await finishItem(item.id, { status: 'succeeded', ...answer, result: answer.result as object | null, latencyMs: Date.now() - startedAt });
      if (keyId && !answer.cached) await chargeKey(keyId, answer);
      return;
    } catch (error) {
      if (signal.aborted) {
        // Canceled or claim lost: not a failure of this image; it waits for the next run.
        await markItem(item.id, 'pending').catch(() => {});
        return;
      }
      if (attempt < ITEM_ATTEMPTS && retryable(error)) {
        await sleep(ITEM_RETRY_PAUSE_MS, signal).catch(() => {});
        continue;
      }
      await finishItem(item.id, { status: 'failed', error: describeItemError(error), latencyMs: Date.now() - startedAt });
      return;
    }
  }
}

/** The item's answer is stored: a usage row failing must not turn it into a failure. */
async function chargeKey(keyId: string, answer: ItemAnswer): Promise<void> {
  const spend = { inputTokens: answer.inputTokens ?? 0, outputTokens: answer.outputTokens ?? 0, costUsd: answer.costUsd ?? 0 };
  await recordJobSpend(keyId, API_JOB_ROUTES.batch, spend).catch((error) => console.error(`batch spending of key ${keyId} not recorded:`, error));
}

/** 429s were already retried by the limiter's fallback; transient failures and malformed answers get one more go. */
function retryable(error: unknown): boolean {
  if (NoObjectGeneratedError.isInstance(error)) return true;
  return classifyProviderError(error)?.retry === 'backoff';
}

function describeItemError(error: unknown): string {
  if (NoObjectGeneratedError.isInstance(error)) return "The model's answer did not fit the columns (twice). Retry it, or simplify the columns.";
  return describeModelError(error);
}
