import type { BatchColumn, BatchItemView, BatchStatus, BatchSummary } from '@/lib/batch/types';
import type { Detail } from '@/lib/media/types';
import { jsonOf } from '@/components/video/video-api';

export interface NewBatchRequest {
  prompt: string;
  modelId: string;
  detail: Detail;
  columns: BatchColumn[];
  mediaIds: string[];
}

/** One message of the events stream: the summary, and the items changed since the last message (all of them first). */
export interface BatchEvent {
  batch: BatchSummary;
  items: BatchItemView[];
}

export type BatchAction = 'cancel' | 'resume' | 'retry-failed';

export const isTerminal = (status: BatchStatus) => status === 'completed' || status === 'canceled' || status === 'failed';

const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export const createBatch = (request: NewBatchRequest) => jsonOf<{ id: string }>(fetch('/api/batches', json(request)));

export const listBatches = () => jsonOf<{ batches: BatchSummary[] }>(fetch('/api/batches', { cache: 'no-store' }));

export const fetchBatch = (id: string) => jsonOf<BatchEvent>(fetch(`/api/batches/${id}`, { cache: 'no-store' }));

export const batchAction = (id: string, action: BatchAction) => jsonOf<{ batch: BatchSummary }>(fetch(`/api/batches/${id}/${action}`, { method: 'POST' }));

export const exportUrl = (id: string, format: 'csv' | 'json') => `/api/batches/${id}/export?format=${format}`;

/** Waits after the n-th failed connection in a row: 1 s, 2 s, 4 s … at most 30 s. */
const backoffMs = (failures: number) => Math.min(30_000, 1000 * 2 ** Math.max(0, failures - 1));

export interface BatchWatchHandlers {
  onEvent: (event: BatchEvent) => void;
  /** True while the stream is down and a new connection is planned; false once events flow again. */
  onReconnecting: (reconnecting: boolean) => void;
}

/**
 * Follows a batch until it reaches a terminal status. Unlike a video's stream, a dropped or refused
 * connection (the server restarting mid-batch) is always retried, with backoff, instead of being left
 * to EventSource, which gives up for good on an HTTP error. Each new connection starts with every item,
 * so nothing missed while away stays missed. Returns the function that stops watching.
 */
export function watchBatch(id: string, handlers: BatchWatchHandlers): () => void {
  let source: EventSource | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let stopped = false;

  const connect = () => {
    source = new EventSource(`/api/batches/${id}/events`);
    source.onmessage = (message) => {
      const event = JSON.parse(message.data as string) as BatchEvent;
      if (failures > 0) handlers.onReconnecting(false);
      failures = 0;
      if (isTerminal(event.batch.status)) stop();
      handlers.onEvent(event);
    };
    source.onerror = () => {
      if (stopped) return;
      source?.close();
      failures += 1;
      handlers.onReconnecting(true);
      timer = setTimeout(connect, backoffMs(failures));
    };
  };

  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    source?.close();
  };

  connect();
  return stop;
}
