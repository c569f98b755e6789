/**
 * Starting a batch against the real database and queue: what a refused start leaves (nothing: no
 * batch, no usage charged, no queued job) and what an accepted one charges.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '@/lib/auth/quotas';
import { startBatch } from '@/lib/batch/control';
import { db } from '@/lib/db/client';
import { countQuestionsSince } from '@/lib/db/usage';
import { jobQueue, queues, stopJobQueue } from '@/lib/jobs/boss';
import { uploadedImages } from '@/tests/support/batches';
import { useLocalDataDir } from '@/tests/support/data-dir';
import { ensureTestUser } from '@/tests/support/users';

useLocalDataDir('batch-control');
const guest: Caller = { id: `batch-guest-${randomUUID()}`, type: 'guest' };
const other: Caller = { id: `batch-other-${randomUUID()}`, type: 'user' };
const start = (caller: Caller, mediaIds: string[]) => startBatch(caller, { prompt: 'Describe', modelId: 'compatible:stub-vision', detail: 'auto', columns: [], mediaIds });

async function leftovers(userId: string) {
  const batches = await db().batch.count({ where: { userId } });
  const charged = await countQuestionsSince(userId, new Date(0));
  // A refused start has no batch id to look for: any queued job without its batch is a leftover.
  const jobs = await (await jobQueue()).findJobs<{ batchId: string }>(queues.batchRun.name);
  const known = new Set((await db().batch.findMany({ where: { id: { in: jobs.map((j) => j.data.batchId) } }, select: { id: true } })).map((b) => b.id));
  const orphanJobs = jobs.filter((j) => !known.has(j.data.batchId)).length;
  return { batches, charged, orphanJobs };
}

beforeAll(async () => {
  await ensureTestUser(guest.id, { anonymous: true });
  await ensureTestUser(other.id, { anonymous: false });
});

afterAll(async () => {
  await stopJobQueue();
  await db().$disconnect();
});

describe('startBatch', () => {
  it('refuses more images than the messages left today, saying both numbers, and leaves nothing', async () => {
    const ids = Array.from({ length: 51 }, () => randomUUID());
    await expect(start(guest, ids)).rejects.toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/51 images.*50 messages left today/) });
    expect(await leftovers(guest.id)).toEqual({ batches: 0, charged: 0, orphanJobs: 0 });
  });

  it("refuses someone else's image as if it did not exist, and leaves nothing", async () => {
    const [theirs] = await uploadedImages(other.id, 1);
    const [mine] = await uploadedImages(guest.id, 1);
    await expect(start(guest, [mine, theirs])).rejects.toMatchObject({ code: 'not_found', message: "1 of the batch's images no longer exist. Remove them and start again." });
    expect(await leftovers(guest.id)).toEqual({ batches: 0, charged: 0, orphanJobs: 0 });
  });

  it('creates the batch with its items in order, charges one message per image and queues one job', async () => {
    const ids = await uploadedImages(guest.id, 3);
    const id = await start(guest, ids);
    const batch = await db().batch.findUniqueOrThrow({ where: { id }, include: { items: { orderBy: { index: 'asc' } } } });
    expect(batch.items.map((i) => [i.index, i.mediaId, i.status])).toEqual(ids.map((m, i) => [i, m, 'pending']));
    const boss = await jobQueue();
    const job = await boss.getJobById(queues.batchRun.name, batch.queueJobId!);
    expect(job?.data).toEqual({ batchId: id });
    // Withdrawn, so no other test file's worker runs it.
    await boss.cancel(queues.batchRun.name, batch.queueJobId!);
    expect(await countQuestionsSince(guest.id, new Date(0))).toBe(3);
  });
});
