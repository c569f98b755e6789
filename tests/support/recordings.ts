import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import type { Caller } from '@/lib/auth/quotas';
import { db } from '@/lib/db/client';
import { getVideoJob } from '@/lib/db/video-jobs';
import { processAudio } from '@/lib/jobs/audio/process';
import { jobQueue, processingQueue } from '@/lib/jobs/boss';
import { ingestAudio } from '@/lib/uploads/audio';

/**
 * The task a worker would get for the upload's queued job, to run here. Its queue entry is withdrawn
 * first: test files share the database, and another file's workers (tests/lib/jobs/video/process.test.ts
 * starts some) would otherwise take the job, under their own DATA_DIR and settings, while this test runs it.
 */
export async function withdrawnJob(mediaId: string, lastAttempt = false) {
  const job = await getVideoJob(mediaId);
  const { kind } = await db().media.findUniqueOrThrow({ where: { id: mediaId } });
  await (await jobQueue()).cancel(processingQueue(kind).name, job!.queueJobId!);
  return { id: job!.queueJobId!, mediaId, signal: new AbortController().signal, lastAttempt };
}

/**
 * `file` uploaded by `caller` as `filename` and processed here to the end, as a worker's last
 * attempt would: its row, with the transcript.
 */
export async function transcribedRecording(caller: Caller, file: string, filename: string) {
  const recording = await ingestAudio(caller, new Response(await readFile(file)).body!, filename);
  await processAudio(await withdrawnJob(recording.id, true));
  expect((await getVideoJob(recording.id))?.status).toBe('succeeded');
  return db().media.findUniqueOrThrow({ where: { id: recording.id }, include: { transcript: true } });
}
