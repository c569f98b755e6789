/**
 * Batches against the real database, local blob storage and the stub model over HTTP: every image
 * answered and stored, the same batch again answered from the cache for free, structured columns,
 * one image failing without sinking the others (then retried alone), and cancel then resume without
 * redoing what was finished.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startStubModel, type StubModel } from '@/e2e/stub-model/server';
import type { Caller } from '@/lib/auth/quotas';
import { resetModelLimiters } from '@/lib/ai/limiter';
import { continueBatch, stopBatch } from '@/lib/batch/control';
import { batchSummary, itemView } from '@/lib/batch/view';
import { batchItems, getBatch } from '@/lib/db/batches';
import { db } from '@/lib/db/client';
import { stopJobQueue } from '@/lib/jobs/boss';
import { runBatch } from '@/lib/jobs/batch/run';
import { startedBatch, uploadedImages, withdrawnBatchJob } from '@/tests/support/batches';
import { useLocalDataDir } from '@/tests/support/data-dir';
import { pointAtStub } from '@/tests/support/stub-env';
import { ensureTestUser } from '@/tests/support/users';

useLocalDataDir('batch-run');
let stub: StubModel;
const caller: Caller = { id: `batch-run-${randomUUID()}`, type: 'user' };

const callsWith = (marker: string) => stub.requests.filter((r) => r.path === '/v1/chat/completions' && JSON.stringify(r.body).includes(marker));

async function finished(batchId: string) {
  const batch = (await getBatch(batchId))!;
  return { summary: await batchSummary(batch), items: (await batchItems(batchId)).map(itemView) };
}

beforeAll(async () => {
  stub = await startStubModel({ deltaDelayMs: 0 });
  pointAtStub(stub.url);
  await ensureTestUser(caller.id, { anonymous: false });
});

beforeEach(() => stub.reset());

afterAll(async () => {
  await stopJobQueue();
  await stub?.stop();
  await db().$disconnect();
});

describe('runBatch', () => {
  it('answers every image, stores each answer, and a repeat is free from the cache', async () => {
    const marker = `describe-${randomUUID()}`;
    const mediaIds = await uploadedImages(caller.id, 4);
    const first = await startedBatch(caller, { mediaIds, prompt: `What colour is this? ${marker}` });
    await runBatch(first.task);

    const done = await finished(first.id);
    expect(done.summary).toMatchObject({ status: 'completed', counts: { total: 4, succeeded: 4, failed: 0, pending: 0, running: 0 }, cachedCount: 0 });
    expect(done.items.map((i) => i.mediaId)).toEqual(mediaIds);
    for (const item of done.items) {
      expect(item.text).toMatch(/1 image/);
      expect(item.cached).toBe(false);
      expect(item.latencyMs).toBeGreaterThanOrEqual(0);
    }
    expect(callsWith(marker)).toHaveLength(4);
    expect(callsWith(marker).every((r) => r.imageCount === 1)).toBe(true);

    const again = await startedBatch(caller, { mediaIds, prompt: `What colour is this? ${marker}` });
    await runBatch(again.task);
    const repeat = await finished(again.id);
    expect(repeat.summary).toMatchObject({ status: 'completed', cachedCount: 4, costUsd: null, counts: { succeeded: 4 } });
    expect(repeat.items.map((i) => [i.cached, i.costUsd, i.text])).toEqual(done.items.map((i) => [true, 0, i.text]));
    expect(callsWith(marker)).toHaveLength(4);
  });

  it('answers in the batch\'s columns, typed, and retries a malformed answer once before failing the image', async () => {
    const columns = [
      { name: 'label', type: 'text' as const },
      { name: 'count', type: 'number' as const, description: 'how many objects' },
      { name: 'outdoor', type: 'boolean' as const },
      { name: 'tags', type: 'list' as const },
    ];
    const mediaIds = await uploadedImages(caller.id, 3);
    const typed = await startedBatch(caller, { mediaIds, columns, prompt: `Label it ${randomUUID()}` });
    await runBatch(typed.task);
    const done = await finished(typed.id);
    expect(done.summary.counts).toMatchObject({ succeeded: 3, failed: 0 });
    for (const item of done.items) {
      expect(item.text).toBeNull();
      expect(Object.keys(item.result!).sort()).toEqual(['count', 'label', 'outdoor', 'tags']);
      expect(typeof item.result!.label).toBe('string');
      expect(typeof item.result!.count).toBe('number');
      expect(typeof item.result!.outdoor).toBe('boolean');
      expect(Array.isArray(item.result!.tags)).toBe(true);
    }
    // The request asked for exactly these fields, as a JSON schema.
    const format = (callsWith('Label it').at(-1)!.body as { response_format?: { type: string; json_schema?: { schema: { required: string[] } } } }).response_format;
    expect(format?.type).toBe('json_schema');
    expect(format?.json_schema?.schema.required.sort()).toEqual(['count', 'label', 'outdoor', 'tags']);

    // Malformed once (the first call of this prompt): that image is asked again and succeeds.
    const once = `[json:brokenx1] ${randomUUID()}`;
    const flaky = await startedBatch(caller, { mediaIds, columns, prompt: `Label it ${once}` });
    await runBatch(flaky.task);
    expect((await finished(flaky.id)).summary.counts).toMatchObject({ succeeded: 3, failed: 0 });
    expect(callsWith(once)).toHaveLength(4);

    // Malformed every time: each image fails with a message that says so; the batch still completes.
    const always = `[json:broken] ${randomUUID()}`;
    const broken = await startedBatch(caller, { mediaIds, columns, prompt: `Label it ${always}` });
    await runBatch(broken.task);
    const failed = await finished(broken.id);
    expect(failed.summary).toMatchObject({ status: 'completed', counts: { succeeded: 0, failed: 3 } });
    expect(failed.items.every((i) => i.result === null && /did not fit the columns/.test(i.error ?? ''))).toBe(true);
    expect(callsWith(always)).toHaveLength(6);
  });

  it('keeps going when one image fails, and "retry failed" redoes only that one', async () => {
    const marker = `[fail:500:w224x2] ${randomUUID()}`;
    const good = await uploadedImages(caller.id, 3);
    const [bad] = await uploadedImages(caller.id, 1, 224);
    const batch = await startedBatch(caller, { mediaIds: [good[0], bad, good[1], good[2]], prompt: `Describe ${marker}` });
    await runBatch(batch.task);

    const partial = await finished(batch.id);
    expect(partial.summary).toMatchObject({ status: 'completed', counts: { succeeded: 3, failed: 1 } });
    const failed = partial.items.find((i) => i.mediaId === bad)!;
    expect(failed).toMatchObject({ status: 'failed', text: null, error: expect.stringMatching(/HTTP 500/) });
    // One call per good image; the bad one was tried twice (a server error gets one more go).
    expect(callsWith(marker)).toHaveLength(5);

    await continueBatch(batch.id, { retryFailed: true });
    await runBatch(await withdrawnBatchJob(batch.id));
    const retried = await finished(batch.id);
    expect(retried.summary).toMatchObject({ status: 'completed', counts: { succeeded: 4, failed: 0 } });
    expect(retried.items.find((i) => i.mediaId === bad)).toMatchObject({ status: 'succeeded', error: null });
    expect(callsWith(marker)).toHaveLength(6);
    await expect(continueBatch(batch.id, { retryFailed: true })).rejects.toThrow(/nothing to retry/);
  });

  it('stops on cancel, keeps finished images, and resumes with only the rest', { timeout: 60_000 }, async () => {
    vi.stubEnv('BATCH_FEED', '2');
    const slow = await startStubModel({ deltaDelayMs: 0, callDelayMs: 400 });
    pointAtStub(slow.url);
    try {
      const marker = `slow-${randomUUID()}`;
      const mediaIds = await uploadedImages(caller.id, 8);
      const batch = await startedBatch(caller, { mediaIds, prompt: `Describe ${marker}` });
      const run = runBatch(batch.task);
      await vi.waitFor(async () => expect((await finished(batch.id)).summary.counts.succeeded).toBeGreaterThanOrEqual(2), { timeout: 20_000, interval: 50 });
      await stopBatch(batch.id);
      await run;

      const canceled = await finished(batch.id);
      expect(canceled.summary.status).toBe('canceled');
      expect(canceled.summary.counts.running).toBe(0);
      const doneBefore = canceled.items.filter((i) => i.status === 'succeeded');
      expect(doneBefore.length).toBeGreaterThanOrEqual(2);
      expect(doneBefore.length).toBeLessThan(8);
      const callsBefore = slow.requests.length;

      await continueBatch(batch.id, { retryFailed: false });
      await runBatch(await withdrawnBatchJob(batch.id));
      const resumed = await finished(batch.id);
      expect(resumed.summary).toMatchObject({ status: 'completed', counts: { succeeded: 8 } });
      // Finished images were not asked again: their answers and finish times are untouched.
      for (const item of doneBefore) expect(resumed.items.find((i) => i.id === item.id)).toEqual(item);
      expect(slow.requests.length - callsBefore).toBe(8 - doneBefore.length);
    } finally {
      pointAtStub(stub.url);
      vi.stubEnv('BATCH_FEED', undefined);
      await slow.stop();
    }
  });

  it('finishes every image against a provider that answers 429, waiting out its Retry-After', { timeout: 30_000 }, async () => {
    // The limiter allows far more than the provider: the provider's 429s are what pace the batch.
    vi.stubEnv('MODEL_REQUESTS_PER_MINUTE', '6000');
    resetModelLimiters();
    stub.configure({ requestsPerMinute: 120 });
    try {
      const marker = `rate-${randomUUID()}`;
      const mediaIds = await uploadedImages(caller.id, 6);
      const batch = await startedBatch(caller, { mediaIds, prompt: `Describe ${marker}` });
      await runBatch(batch.task);
      expect((await finished(batch.id)).summary.counts).toMatchObject({ succeeded: 6, failed: 0 });
      const calls = callsWith(marker);
      expect(calls.filter((c) => c.status === 429).length).toBeGreaterThan(0);
      expect(calls.filter((c) => c.status === 200)).toHaveLength(6);
    } finally {
      vi.stubEnv('MODEL_REQUESTS_PER_MINUTE', undefined);
      resetModelLimiters();
    }
  });

  it('fails the whole batch plainly when its model is gone', async () => {
    const mediaIds = await uploadedImages(caller.id, 1);
    const batch = await startedBatch(caller, { mediaIds, prompt: 'Describe' });
    vi.stubEnv('OPENAI_COMPATIBLE_MODELS', 'stub-vision-2');
    try {
      await runBatch(batch.task);
    } finally {
      vi.stubEnv('OPENAI_COMPATIBLE_MODELS', 'stub-vision');
    }
    expect(await getBatch(batch.id)).toMatchObject({ status: 'failed', error: expect.stringMatching(/no longer available/) });
  });
});
