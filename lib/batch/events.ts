import { eventStreamResponse, type ServerEvent } from '@/lib/api/sse';
import { batchSummary, itemView } from '@/lib/batch/view';
import { batchItems, batchItemsChangedSince, getBatch } from '@/lib/db/batches';

// The worker may be another process or machine: the rows are the one place progress shows up.
const POLL_MS = 700;
const terminal = new Set(['completed', 'canceled', 'failed']);

/**
 * A batch's progress as Server-Sent Events until it ends: the summary and every item that changed
 * since the previous event (all of them first), heartbeat comments while nothing changes. The
 * caller has checked who asks.
 */
export function batchEventsResponse(request: Request, batchId: string): Response {
  return eventStreamResponse(batchEvents(request.signal, batchId));
}

async function* batchEvents(signal: AbortSignal, batchId: string): AsyncGenerator<ServerEvent> {
  const sentAt = new Map<string, number>();
  let since: Date | null = null;
  let lastSummary = '';
  while (!signal.aborted) {
    const batch = await getBatch(batchId);
    if (!batch) return;
    const rows: Awaited<ReturnType<typeof batchItems>> = since ? await batchItemsChangedSince(batchId, since) : await batchItems(batchId);
    // Rows written in the same millisecond as the last one seen come again; only news is sent.
    const changed = rows.filter((row) => sentAt.get(row.id) !== row.updatedAt.getTime());
    for (const row of changed) {
      sentAt.set(row.id, row.updatedAt.getTime());
      if (!since || row.updatedAt > since) since = row.updatedAt;
    }
    since ??= new Date(0);
    const summary = await batchSummary(batch);
    const summaryJson = JSON.stringify(summary);
    if (changed.length > 0 || summaryJson !== lastSummary) {
      lastSummary = summaryJson;
      yield { event: 'message', data: { batch: summary, items: changed.map(itemView) } };
    }
    if (terminal.has(batch.status)) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
