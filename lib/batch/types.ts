/** What the batch pages and the API show of a batch: client-safe, no Prisma types. */

export const columnTypes = ['text', 'number', 'boolean', 'list'] as const;
export type ColumnType = (typeof columnTypes)[number];

export interface BatchColumn {
  name: string;
  type: ColumnType;
  description?: string;
}

export type BatchStatus = 'queued' | 'running' | 'completed' | 'canceled' | 'failed';
export type BatchItemStatus = 'pending' | 'running' | 'succeeded' | 'failed';
export type ColumnValue = string | number | boolean | string[] | null;

export interface BatchSummary {
  id: string;
  prompt: string;
  modelId: string;
  modelLabel: string;
  detail: 'low' | 'high' | 'auto';
  columns: BatchColumn[];
  status: BatchStatus;
  /** Why the whole batch stopped; an item's own failure is on the item. */
  error: string | null;
  counts: { total: number; pending: number; running: number; succeeded: number; failed: number };
  cachedCount: number;
  /** null when the model's price is unknown (a local server). */
  costUsd: number | null;
  throughputPerMinute: number | null;
  etaSeconds: number | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface BatchItemView {
  id: string;
  index: number;
  mediaId: string;
  filename: string;
  status: BatchItemStatus;
  text: string | null;
  result: Record<string, ColumnValue> | null;
  error: string | null;
  cached: boolean;
  costUsd: number | null;
  latencyMs: number | null;
}

export const MAX_BATCH_IMAGES = 500;
export const MAX_BATCH_COLUMNS = 20;
