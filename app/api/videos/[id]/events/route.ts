import { requireUser } from '@/lib/auth/session';
import { countFrames, getOwnedVideo, getVideoJob } from '@/lib/db/video-jobs';
import { AppError, errorResponse, notFoundMessage } from '@/lib/errors';
import { parseParams } from '@/lib/http';
import { jobView } from '@/lib/video/view';
import { videoParams } from '../schema';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ id: string }> };

// The worker may be another process or machine: the row is the one place progress shows up.
const POLL_MS = 500;
const KEEPALIVE_MS = 15_000;
const terminal = new Set(['succeeded', 'failed', 'canceled']);

// GET /api/videos/:id/events – processing progress as Server-Sent Events, until the job ends
export async function GET(request: Request, { params }: Params) {
  try {
    const { id } = await parseParams(params, videoParams, notFoundMessage.video);
    const userId = await requireUser();
    if (!(await getOwnedVideo(userId, id))) throw new AppError('not_found', notFoundMessage.video);

    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        let last = '';
        let lastSentAt = Date.now();
        try {
          while (!request.signal.aborted) {
            const [job, scenes] = await Promise.all([getVideoJob(id), countFrames(id)]);
            const view = jobView(job);
            const event = JSON.stringify({ status: view.status, stage: view.stage, progress: view.progress, error: view.error, scenes });
            if (event !== last) {
              controller.enqueue(encoder.encode(`data: ${event}\n\n`));
              last = event;
              lastSentAt = Date.now();
            } else if (Date.now() - lastSentAt > KEEPALIVE_MS) {
              // Proxies close connections that stay silent.
              controller.enqueue(encoder.encode(': keep-alive\n\n'));
              lastSentAt = Date.now();
            }
            if (!job || terminal.has(job.status)) break;
            await new Promise((resolve) => setTimeout(resolve, POLL_MS));
          }
        } catch (error) {
          console.error('video progress stream failed', error);
        }
        controller.close();
      },
    });
    return new Response(stream, {
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
