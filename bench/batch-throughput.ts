/**
 * A batch of 100 images against the stub model answering each call after 1 s, with 10 calls in
 * flight: wall time against the ideal (100 calls / 10 in flight × 1 s = 10 s) and against one call
 * at a time (100 s). Then the same with the limiter and the stub both at 600 requests per minute:
 * the limiter must hold the rate so the stub never answers 429. Runs the batch job's own code
 * (runBatch) on a real database; the queue's pick-up delay is left out.
 */
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { benchEnvironment } from '@/bench/support/environment';
import { startStubModel } from '@/e2e/stub-model/server';

const images = 100;
const callMs = 1000;
const inFlight = 10;
const rpm = 600;
const idealMs = (images / inFlight) * callMs;
const targetMs = idealMs / 0.9;

export async function benchBatchThroughput(): Promise<{ title: string; markdown: string }> {
  const stub = await startStubModel({ deltaDelayMs: 0, callDelayMs: callMs });
  const environment = await benchEnvironment({
    OPENAI_COMPATIBLE_BASE_URL: stub.url,
    OPENAI_COMPATIBLE_MODELS: 'stub-vision',
    OPENAI_COMPATIBLE_API_KEY: 'unused',
    MODEL_CONCURRENCY: String(inFlight),
    MODEL_REQUESTS_PER_MINUTE: '100000',
  });
  const { startBatch } = await import('@/lib/batch/control');
  const { batchItems } = await import('@/lib/db/batches');
  const { db } = await import('@/lib/db/client');
  const { jobQueue, queues } = await import('@/lib/jobs/boss');
  const { runBatch } = await import('@/lib/jobs/batch/run');
  const { resetModelLimiters } = await import('@/lib/ai/limiter');
  const { ensureTestUser } = await import('@/tests/support/users');
  const { ingestImage } = await import('@/lib/uploads/image');

  try {
    const userId = randomUUID();
    await ensureTestUser(userId, { anonymous: false });
    const mediaIds: string[] = [];
    for (let i = 0; i < images; i++) {
      const png = await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: i, g: 255 - i, b: (i * 37) % 256 } } }).png().toBuffer();
      mediaIds.push((await ingestImage(userId, png, `image-${i}.png`)).id);
    }

    /** One batch run to the end; its wall time and the stub's 429s during it. */
    async function run(prompt: string) {
      const batchId = await startBatch({ id: userId, type: 'admin' }, { prompt, modelId: 'compatible:stub-vision', detail: 'low', columns: [], mediaIds });
      const { queueJobId } = await db().batch.findUniqueOrThrow({ where: { id: batchId } });
      // Run here, not by a worker: the figure is the batch's own, without the queue's polling.
      await (await jobQueue()).cancel(queues.batchRun.name, queueJobId!);
      stub.reset();
      const started = performance.now();
      await runBatch({ id: queueJobId!, batchId, signal: new AbortController().signal });
      const wallMs = performance.now() - started;
      const items = await batchItems(batchId);
      const failed = items.filter((i) => i.status !== 'succeeded').length;
      if (failed > 0) throw new Error(`${failed} of ${images} images did not succeed`);
      const calls = stub.requests.filter((r) => r.path === '/v1/chat/completions');
      const rateLimited = calls.filter((r) => r.status === 429).length;
      const starts = calls.map((r) => Date.parse(r.receivedAt)).sort((a, b) => a - b);
      const busiestSecond = Math.max(...starts.map((t) => starts.filter((s) => s >= t && s < t + 1000).length));
      return { wallMs, calls: calls.length, rateLimited, busiestSecond };
    }

    const free = await run(`Describe this image. ${randomUUID()}`);
    resetModelLimiters();
    process.env.MODEL_REQUESTS_PER_MINUTE = String(rpm);
    stub.configure({ requestsPerMinute: rpm });
    const limited = await run(`Describe this image. ${randomUUID()}`);

    const pct = (ms: number) => `${((idealMs / ms) * 100).toFixed(1)} %`;
    const row = (label: string, r: typeof free) =>
      `| ${label} | ${(r.wallMs / 1000).toFixed(2)} | ${pct(r.wallMs)} | ${((images * callMs) / r.wallMs).toFixed(1)}× | ${r.calls} | ${r.rateLimited} | ${r.busiestSecond} |`;
    const markdown = [
      `Database: ${environment.backend}. ${images} distinct images (320 × 240), one prompt, stub model answering each call after ${callMs} ms, at most ${inFlight} calls in flight. Ideal: ${images} / ${inFlight} × ${callMs / 1000} s = ${idealMs / 1000} s; one call at a time: ${(images * callMs) / 1000} s. Timed from the job claiming the batch to every image stored.`,
      '',
      '| Run | Wall s | Of ideal throughput | Faster than sequential | Calls | 429s from the stub | Most calls started in any 1 s |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      row('No rate limit', free),
      row(`${rpm} RPM (limiter and stub)`, limited),
      '',
      `Target: ≥ 90 % of ideal throughput (≤ ${(targetMs / 1000).toFixed(1)} s) — **${free.wallMs <= targetMs ? 'met' : 'NOT met'}** (${(free.wallMs / 1000).toFixed(2)} s). ` +
        `At ${rpm} RPM the stub enforces at most ${rpm / 60} calls in any second and answers 429 beyond: **${limited.rateLimited === 0 ? 'no 429' : `${limited.rateLimited} 429s — NOT met`}**, ${(limited.wallMs / 1000).toFixed(2)} s.`,
    ].join('\n');
    return { title: 'Batch: 100 images at full provider speed', markdown };
  } finally {
    await environment.stop();
    await stub.stop();
  }
}
