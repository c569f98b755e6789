/** One Server-Sent Event: its `event:` name and its data, sent as one line of JSON. */
export interface ServerEvent {
  event: string;
  data: unknown;
}

/** Proxies and load balancers close connections that stay silent for about a minute; this is well inside. */
export const HEARTBEAT_MS = 15_000;

/** `event: <name>` and one `data:` line (JSON.stringify escapes every newline), ended by a blank line. */
const frameEvent = ({ event, data }: ServerEvent) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

const HEARTBEAT_FRAME = ': heartbeat\n\n';

const eventStreamHeaders = {
  'content-type': 'text/event-stream; charset=utf-8',
  // no-transform: a compressing proxy (or Next's own gzip) must not hold events back to fill a block.
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/**
 * `events` as a text/event-stream response, with a heartbeat comment whenever nothing has been
 * sent for `heartbeatMs` (a model thinking before its first word, a slow fetch): clients ignore
 * comments, and the connection is never silent long enough for a proxy to drop it. A reader that
 * goes away stops the iteration; whatever produces the events must not depend on being read.
 */
export function eventStreamResponse(events: AsyncIterable<ServerEvent>, { heartbeatMs = HEARTBEAT_MS }: { heartbeatMs?: number } = {}): Response {
  const encoder = new TextEncoder();
  const iterator = events[Symbol.asyncIterator]();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let open = true;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const write = (text: string) => {
        if (!open) return;
        controller.enqueue(encoder.encode(text));
        clearTimeout(timer);
        timer = setTimeout(() => write(HEARTBEAT_FRAME), heartbeatMs);
      };
      // At once, so the client sees the stream open before the first event is ready.
      write(HEARTBEAT_FRAME);
      try {
        for (let next = await iterator.next(); !next.done && open; next = await iterator.next()) write(frameEvent(next.value));
      } catch (error) {
        console.error('event stream failed', error);
      }
      clearTimeout(timer);
      if (open) controller.close();
      open = false;
    },
    async cancel() {
      open = false;
      clearTimeout(timer);
      await iterator.return?.();
    },
  });
  return new Response(stream, { headers: eventStreamHeaders });
}
