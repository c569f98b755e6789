import { randomUUID } from 'node:crypto';
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
