import { batchSummary, itemView } from '@/lib/batch/view';
import { batchItems, batchItemsChangedSince, getBatch } from '@/lib/db/batches';

// The worker may be another process or machine: the rows are the one place progress shows up.
const POLL_MS = 700;
// Checked once a poll: well under 15 s, so no silence between events ever reaches 15 s.
const HEARTBEAT_MS = 10_000;
const terminal = new Set(['completed', 'canceled', 'failed']);

/**
 * A batch's progress as Server-Sent Events until it ends: the summary and every item that changed
 * since the previous event (all of them first), a heartbeat comment while nothing changes. The
 * caller has checked who asks.
 */
export function batchEventsResponse(request: Request, batchId: string): Response {
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const sentAt = new Map<string, number>();
      let since: Date | null = null;
      let lastSummary = '';
      let lastSentAt = Date.now();
      try {
        while (!request.signal.aborted) {
          const batch = await getBatch(batchId);
          if (!batch) break;
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
            controller.enqueue(encoder.encode(`data: ${JSON.stringify({ batch: summary, items: changed.map(itemView) })}\n\n`));
            lastSummary = summaryJson;
            lastSentAt = Date.now();
          } else if (Date.now() - lastSentAt >= HEARTBEAT_MS) {
            controller.enqueue(encoder.encode(': ping\n\n'));
            lastSentAt = Date.now();
          }
          if (terminal.has(batch.status)) break;
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        }
      } catch (error) {
        console.error('batch progress stream failed', error);
      }
      controller.close();
    },
  });
  return new Response(stream, {
    headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' },
  });
}
