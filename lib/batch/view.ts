import { findModel } from '@/lib/ai/registry';
import type { BatchColumn, BatchItemView, BatchSummary, ColumnValue } from '@/lib/batch/types';
import { batchItems, countFinishedSince, countItems } from '@/lib/db/batches';
import type { Batch } from '@/lib/generated/prisma/client';

// Throughput is the pace of the last minute or so of this run: cache hits at the start or a
// pause for a 429 do not skew the ETA for long.
const PACE_WINDOW_MS = 60_000;
const MIN_PACE_WINDOW_MS = 3_000;

type CountRows = Awaited<ReturnType<typeof countItems>>;

/** Summaries of several batches with one count query. */
export async function batchSummaries(batches: Batch[], now = new Date()): Promise<BatchSummary[]> {
  const rows = await countItems(batches.map((b) => b.id));
  return Promise.all(batches.map((b) => summarize(b, rows.filter((r) => r.batchId === b.id), now)));
}

export async function batchSummary(batch: Batch, now = new Date()): Promise<BatchSummary> {
  return (await batchSummaries([batch], now))[0];
}

async function summarize(batch: Batch, rows: CountRows, now: Date): Promise<BatchSummary> {
  const counts = { total: 0, pending: 0, running: 0, succeeded: 0, failed: 0 };
  let cachedCount = 0;
  let costUsd = 0;
  for (const row of rows) {
    counts.total += row.count;
    counts[row.status] += row.count;
    if (row.cached && row.status === 'succeeded') cachedCount += row.count;
    costUsd += row.costUsd ?? 0;
  }
  const model = await findModel(batch.modelId);
  const pace = batch.status === 'running' ? await recentPace(batch, now) : null;
  const remaining = counts.pending + counts.running;
  return {
    id: batch.id,
    prompt: batch.prompt,
    modelId: batch.modelId,
    modelLabel: model?.label ?? batch.modelId,
    detail: batch.detail as BatchSummary['detail'],
    columns: batch.columns as unknown as BatchColumn[],
    status: batch.status,
    error: batch.error,
    counts,
    cachedCount,
    // A model that may have gone meanwhile keeps what it cost; an unpriced one costs "unknown".
    costUsd: model && !model.price ? null : costUsd,
    throughputPerMinute: pace,
    etaSeconds: pace && pace > 0 ? Math.ceil((remaining / pace) * 60) : null,
    createdAt: batch.createdAt.toISOString(),
    startedAt: batch.startedAt?.toISOString() ?? null,
    finishedAt: batch.finishedAt?.toISOString() ?? null,
  };
}

async function recentPace(batch: Batch, now: Date): Promise<number | null> {
  if (!batch.runStartedAt) return null;
  const window = Math.min(PACE_WINDOW_MS, now.getTime() - batch.runStartedAt.getTime());
  if (window < MIN_PACE_WINDOW_MS) return null;
  const finished = await countFinishedSince(batch.id, new Date(now.getTime() - window));
  return Math.round((finished / window) * 60_000 * 10) / 10;
}

type ItemRow = Awaited<ReturnType<typeof batchItems>>[number];

export function itemView(item: ItemRow): BatchItemView {
  return {
    id: item.id,
    index: item.index,
    mediaId: item.mediaId,
    filename: item.media.filename,
    status: item.status,
    text: item.text,
    result: item.result as Record<string, ColumnValue> | null,
    error: item.error,
    cached: item.cached,
    costUsd: item.costUsd,
    latencyMs: item.latencyMs,
  };
}
