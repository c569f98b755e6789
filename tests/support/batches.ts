import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import type { Caller } from '@/lib/auth/quotas';
import { startBatch, type StartBatch } from '@/lib/batch/control';
import { db } from '@/lib/db/client';
import { jobQueue, queues } from '@/lib/jobs/boss';
import type { BatchTask } from '@/lib/jobs/batch/run';
import { ingestImage } from '@/lib/uploads/image';

/** `count` uploaded images no other test has (random colours), `width` px wide. */
export async function uploadedImages(userId: string, count: number, width = 168): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const [r, g, b] = [0, 0, 0].map(() => Math.floor(Math.random() * 256));
    const png = await sharp({ create: { width, height: 112, channels: 3, background: { r, g, b } } }).png().toBuffer();
    ids.push((await ingestImage(userId, png, `image-${i + 1}-${randomUUID().slice(0, 6)}.png`)).id);
  }
  return ids;
}

/**
 * The task a worker would get for the batch's queued job, to run here. Its queue entry is withdrawn
 * first: test files share the database, and another file's workers would otherwise take it.
 */
export async function withdrawnBatchJob(batchId: string, signal = new AbortController().signal): Promise<BatchTask> {
  const { queueJobId } = await db().batch.findUniqueOrThrow({ where: { id: batchId } });
  await (await jobQueue()).cancel(queues.batchRun.name, queueJobId!);
  return { id: queueJobId!, batchId, signal };
}

export async function startedBatch(caller: Caller, input: Partial<StartBatch> & Pick<StartBatch, 'mediaIds' | 'prompt'>) {
  const id = await startBatch(caller, { modelId: 'compatible:stub-vision', detail: 'auto', columns: [], ...input });
  return { id, task: await withdrawnBatchJob(id) };
}
