/**
 * A worker process killed in the middle of a batch (SIGKILL, as when a server dies), then a new
 * worker: the queue notices the missed heartbeat, retries the job, and the new attempt finishes the
 * batch without asking again for any image the dead one had finished.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { startStubModel, type StubModel } from '@/e2e/stub-model/server';
import type { Caller } from '@/lib/auth/quotas';
import { startBatch } from '@/lib/batch/control';
import { batchItems, getBatch } from '@/lib/db/batches';
import { db } from '@/lib/db/client';
import { stopJobQueue } from '@/lib/jobs/boss';
import { uploadedImages } from '@/tests/support/batches';
import { useLocalDataDir } from '@/tests/support/data-dir';
import { pointAtStub } from '@/tests/support/stub-env';
import { ensureTestUser } from '@/tests/support/users';
import { startWorkerProcess } from '@/tests/support/worker-process';

const data = useLocalDataDir('batch-crash');
let stub: StubModel;
const workers: ChildProcess[] = [];
const caller: Caller = { id: `batch-crash-${randomUUID()}`, type: 'user' };

function startWorker(): ChildProcess {
  const child = startWorkerProcess(data.dir, stub.url, { MODEL_CONCURRENCY: '2', WORKER_QUEUES: 'batch-run' });
  workers.push(child);
  return child;
}

beforeAll(async () => {
  // Each call takes a while, so the worker is surely killed with calls in flight.
  stub = await startStubModel({ deltaDelayMs: 0, callDelayMs: 500 });
  pointAtStub(stub.url);
  await ensureTestUser(caller.id);
});

afterAll(async () => {
  for (const worker of workers) worker.kill('SIGKILL');
  await stopJobQueue();
  await stub?.stop();
  await db().$disconnect();
});

it('resumes a batch whose worker was killed, asking again only for images not finished', { timeout: 120_000 }, async () => {
  const marker = `crash-${randomUUID()}`;
  const mediaIds = await uploadedImages(caller.id, 12);
  const batchId = await startBatch(caller, { prompt: `Describe ${marker}`, modelId: 'compatible:stub-vision', detail: 'auto', columns: [], mediaIds });
  const calls = () => stub.requests.filter((r) => JSON.stringify(r.body).includes(marker)).length;

  const first = startWorker();
  await vi.waitFor(async () => expect((await batchItems(batchId)).filter((i) => i.status === 'succeeded').length).toBeGreaterThanOrEqual(4), { timeout: 60_000, interval: 100 });
  first.kill('SIGKILL');
  await new Promise((resolve) => first.once('exit', resolve));
  const before = await batchItems(batchId);
  const finishedBefore = before.filter((i) => i.status === 'succeeded');
  expect(finishedBefore.length).toBeLessThan(12);
  expect((await getBatch(batchId))?.status).toBe('running');
  const callsBefore = calls();

  startWorker();
  await vi.waitFor(async () => expect((await getBatch(batchId))?.status).toBe('completed'), { timeout: 90_000, interval: 250 });

  const after = await batchItems(batchId);
  expect(after.every((i) => i.status === 'succeeded')).toBe(true);
  for (const item of finishedBefore) {
    expect(after.find((i) => i.id === item.id)).toMatchObject({ text: item.text, finishedAt: item.finishedAt });
  }
  // Answers of calls the dead worker had in flight may have reached the cache; never more calls than images left.
  expect(calls() - callsBefore).toBeLessThanOrEqual(12 - finishedBefore.length);
});
