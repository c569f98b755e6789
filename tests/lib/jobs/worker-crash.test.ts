/**
 * A worker process killed in the middle of a video (SIGKILL: no cleanup, as when a server dies),
 * then a new worker: the queue notices the missed heartbeat, retries the job, and the new attempt
 * finishes it from the frames the dead one stored, duplicating nothing.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { startStubModel, type StubModel } from '@/e2e/stub-model/server';
import type { Caller } from '@/lib/auth/quotas';
import { db } from '@/lib/db/client';
import { framesOf, getVideoJob } from '@/lib/db/video-jobs';
import { stopJobQueue } from '@/lib/jobs/boss';
import { ingestVideo } from '@/lib/uploads/video';
import { useLocalDataDir } from '@/tests/support/data-dir';
import { ensureTestUser } from '@/tests/support/users';
import { startWorkerProcess } from '@/tests/support/worker-process';
import { clipWithCuts } from '@/tests/support/videos';
import { readFile } from 'node:fs/promises';

const data = useLocalDataDir('worker-crash');
let stub: StubModel;
const workers: ChildProcess[] = [];
const caller: Caller = { id: `crash-${randomUUID()}`, type: 'user' };

function startWorker(): ChildProcess {
  const child = startWorkerProcess(data.dir, stub.url, { WORKER_QUEUES: 'video-process' });
  workers.push(child);
  return child;
}

beforeAll(async () => {
  // Captions take a while, so the worker is surely killed in the middle of them.
  stub = await startStubModel({ deltaDelayMs: 0, captionDelayMs: 3000 });
  vi.stubEnv('OPENAI_COMPATIBLE_BASE_URL', stub.url);
  vi.stubEnv('OPENAI_COMPATIBLE_MODELS', 'stub-vision');
  vi.stubEnv('OLLAMA_BASE_URL', 'http://127.0.0.1:9');
  vi.stubEnv('OPENAI_API_KEY', undefined);
  await ensureTestUser(caller.id);
});

afterAll(async () => {
  for (const worker of workers) worker.kill('SIGKILL');
  await stopJobQueue();
  await stub?.stop();
  await db().$disconnect();
});

it('resumes a job whose worker was killed, without duplicating frames or captions', { timeout: 120_000 }, async () => {
  // Frames no other test file captioned: answered from the cache, the job would end before it can be killed.
  const clip = await clipWithCuts(data.dir, { hue: 90 });
  const video = await ingestVideo(caller, new Response(await readFile(clip.file)).body!, 'cuts.mp4');

  const first = startWorker();
  await vi.waitFor(async () => expect(await getVideoJob(video.id)).toMatchObject({ status: 'running', framesDone: true }), { timeout: 60_000, interval: 100 });
  const framesBefore = await framesOf(video.id);
  first.kill('SIGKILL');
  await new Promise((resolve) => first.once('exit', resolve));
  expect((await getVideoJob(video.id))?.status).toBe('running');

  startWorker();
  await vi.waitFor(async () => expect((await getVideoJob(video.id))?.status).toBe('succeeded'), { timeout: 90_000, interval: 250 });

  const job = await getVideoJob(video.id);
  expect(job?.attempts).toBe(2);
  const frames = await framesOf(video.id);
  expect(frames.map((f) => [f.index, f.timeMs, f.thumbKey])).toEqual(framesBefore.map((f) => [f.index, f.timeMs, f.thumbKey]));
  expect(frames.every((f) => f.caption)).toBe(true);
  // Caption calls the dead worker had answered were cached; those in flight were asked again, once.
  const grids = Math.ceil(frames.length / 4);
  const captionCalls = stub.requests.filter((r) => JSON.stringify(r.body).includes('Answer with exactly')).length;
  expect(captionCalls).toBeGreaterThanOrEqual(grids);
  expect(captionCalls).toBeLessThanOrEqual(2 * grids);
});
