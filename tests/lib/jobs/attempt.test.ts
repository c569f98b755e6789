import { randomUUID } from 'node:crypto';
import { APICallError } from '@ai-sdk/provider';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { db } from '@/lib/db/client';
import { runAttempt } from '@/lib/jobs/attempt';
import { ensureTestUser } from '@/tests/support/users';

const owner = `attempt-${randomUUID()}`;

beforeAll(async () => {
  await ensureTestUser(owner);
  vi.stubEnv('JOB_MAX_SECONDS', '1');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await db().$disconnect();
});

async function newJob() {
  const sha256 = randomUUID().replace(/-/g, '').padEnd(64, '0');
  const media = await db().media.create({
    data: { userId: owner, sha256, kind: 'video', mediaType: 'video/mp4', filename: 'clip.mp4', bytes: 1, width: 320, height: 180, durationMs: 5000, originalKey: `originals/${sha256}`, previewKey: `previews/${sha256}.webp` },
  });
  await db().videoJob.create({ data: { mediaId: media.id, modelId: 'compatible:stub-vision', settings: {} } });
  return media.id;
}

const jobOf = (mediaId: string) => db().videoJob.findUniqueOrThrow({ where: { mediaId } });

it('a retry says which it is and never moves the progress back, until it passes where the last attempt got to', async () => {
  const mediaId = await newJob();
  const transient = new APICallError({ message: 'down', url: 'http://m/v1/chat/completions', requestBodyValues: {}, statusCode: 503, isRetryable: true });
  await expect(
    runAttempt({ id: randomUUID(), mediaId, signal: new AbortController().signal, lastAttempt: false }, async ({ progress }) => {
      await progress.report('captions', 0.6, true);
      throw transient;
    }),
  ).rejects.toBe(transient);
  expect(await jobOf(mediaId)).toMatchObject({ status: 'queued', stage: 'captions', progress: 0.6, retry: 0, error: 'The model server failed (HTTP 503). Try again, or pick another model.' });

  const seen: { stage: string; progress: number; retry: number }[] = [];
  await runAttempt({ id: randomUUID(), mediaId, signal: new AbortController().signal, lastAttempt: false, retry: 1 }, async ({ progress }) => {
    for (const [stage, at] of [['probe', 0], ['frames', 0.3], ['captions', 0.7]] as const) {
      await progress.report(stage, at, true);
      const { stage: shown, progress: bar, retry } = await jobOf(mediaId);
      seen.push({ stage: shown, progress: bar, retry });
    }
    return {};
  });
  expect(seen).toEqual([
    { stage: 'captions', progress: 0.6, retry: 1 },
    { stage: 'captions', progress: 0.6, retry: 1 },
    { stage: 'captions', progress: 0.7, retry: 1 },
  ]);
  expect(await jobOf(mediaId)).toMatchObject({ status: 'succeeded', progress: 1 });
});

it('a permanent failure ends the job in its first attempt, with a plain message', async () => {
  const mediaId = await newJob();
  const unknown = new APICallError({ message: 'nf', url: 'http://m/v1/chat/completions', requestBodyValues: { model: 'qwen-vl-x' }, statusCode: 404, responseBody: '{"error":{"message":"model not found"}}', isRetryable: false });
  // Resolves: the queue is told the job is done, so it does not retry.
  await runAttempt({ id: randomUUID(), mediaId, signal: new AbortController().signal, lastAttempt: false }, async () => {
    throw unknown;
  });
  expect(await jobOf(mediaId)).toMatchObject({ status: 'failed', attempts: 1, error: 'The model server does not have the model “qwen-vl-x” (HTTP 404). Pick another model, or check the model names configured.' });
});

it('stops an attempt at the processing time limit, and fails the job for good with a message', async () => {
  const sha256 = randomUUID().replace(/-/g, '').padEnd(64, '0');
  const media = await db().media.create({
    data: { userId: owner, sha256, kind: 'video', mediaType: 'video/mp4', filename: 'endless.mp4', bytes: 1, width: 320, height: 180, durationMs: 5000, originalKey: `originals/${sha256}`, previewKey: `previews/${sha256}.webp` },
  });
  await db().videoJob.create({ data: { mediaId: media.id, modelId: 'compatible:stub-vision', settings: {} } });
  let stoppedWith: unknown;
  const started = Date.now();

  // Not the last attempt: a failure would normally be retried. Running out of time is final.
  await runAttempt({ id: randomUUID(), mediaId: media.id, signal: new AbortController().signal, lastAttempt: false }, async ({ signal }) => {
    await new Promise((_, reject) => signal.addEventListener('abort', () => reject((stoppedWith = signal.reason))));
    return {};
  });

  expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  expect(stoppedWith).toBeInstanceOf(Error);
  expect(await db().videoJob.findUniqueOrThrow({ where: { mediaId: media.id } })).toMatchObject({
    status: 'failed',
    error: 'Processing took longer than 1 s, the limit, and was stopped. A shorter or smaller file will work.',
  });
});
