import { getVideoJob } from '@/lib/db/video-jobs';
import { jobView } from '@/lib/video/view';

// The worker may be another process or machine: the row is the one place progress shows up.
const POLL_MS = 500;
// Checked once a poll: well under 15 s, so no silence between events ever reaches 15 s.
const KEEPALIVE_MS = 10_000;
const terminal = new Set(['succeeded', 'failed', 'canceled']);

/**
 * A job's progress as Server-Sent Events until it ends: an event whenever the row (or `extra`,
 * e.g. a video's scene count) changes, a keep-alive comment while it does not. The caller has
 * checked who asks.
 */
export function jobEventsResponse(request: Request, mediaId: string, extra: () => Promise<object> = async () => ({})): Response {
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let last = '';
      let lastSentAt = Date.now();
      try {
        while (!request.signal.aborted) {
          const [job, more] = await Promise.all([getVideoJob(mediaId), extra()]);
          const view = jobView(job);
          const event = JSON.stringify({ status: view.status, stage: view.stage, progress: view.progress, error: view.error, retry: view.retry, retries: view.retries, ...more });
          if (event !== last) {
            controller.enqueue(encoder.encode(`data: ${event}\n\n`));
            last = event;
            lastSentAt = Date.now();
          } else if (Date.now() - lastSentAt >= KEEPALIVE_MS) {
            // Proxies close connections that stay silent.
            controller.enqueue(encoder.encode(': keep-alive\n\n'));
            lastSentAt = Date.now();
          }
          if (!job || terminal.has(job.status)) break;
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        }
      } catch (error) {
        console.error('job progress stream failed', error);
      }
      controller.close();
    },
  });
  return new Response(stream, {
    headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' },
  });
}
