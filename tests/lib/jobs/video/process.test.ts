/**
 * A video from upload to timeline against the real database, local blob storage, real ffmpeg and
 * the stub model over HTTP: what is stored, how many model calls it takes, that a second analysis
 * of the same video is answered from the cache, and that an attempt cut off midway resumes
 * without duplicating frames or model calls.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startStubModel, type StubModel } from '@/e2e/stub-model/server';
import type { Caller } from '@/lib/auth/quotas';
import { db } from '@/lib/db/client';
import { framesOf, getVideoJob } from '@/lib/db/video-jobs';
import { jobQueue, queues, stopJobQueue } from '@/lib/jobs/boss';
import { processVideo } from '@/lib/jobs/video/process';
import { cancelProcessing, retryProcessing } from '@/lib/jobs/control';
import { ingestVideo } from '@/lib/uploads/video';
import { useLocalDataDir } from '@/tests/support/data-dir';
import { rejectionWith } from '@/tests/support/errors';
import { ensureTestUser } from '@/tests/support/users';

const run = promisify(execFile);
const data = useLocalDataDir('video-process');
let stub: StubModel;
let clipDir: string;
const caller: Caller = { id: `video-test-${randomUUID()}`, type: 'user' };

const SOURCES = [
  'testsrc2=s=320x180:r=25',
  'smptebars=s=320x180:r=25',
  'mandelbrot=s=320x180:r=25',
  'cellauto=s=320x180:r=25:rule=110',
  'color=c=0x2e7d32:s=320x180:r=25,noise=alls=30:allf=t',
  'rgbtestsrc=s=320x180:r=25',
  'life=s=320x180:r=25:mold=10:ratio=0.1:death_color=#C83232:life_color=#00ff00',
];

/**
 * `scenes` unrelated two-second scenes (hard cuts every 2 s, one keyframe in all), starting at a
 * different source for each `variant`, so clips of different variants share no frame.
 */
async function clip(name: string, scenes: number, variant: number): Promise<string> {
  const file = path.join(clipDir, name);
  const picked = Array.from({ length: scenes }, (_, i) => SOURCES[(variant + i) % SOURCES.length]);
  const graph = picked
    .map((source, i) => `${source},trim=end_frame=50,format=yuv420p,setsar=1${variant % 2 ? ',hflip' : ''}[s${i}]`)
    .concat(`${picked.map((_, i) => `[s${i}]`).join('')}concat=n=${scenes}:v=1:a=0[v]`)
    .join(';');
  await run('ffmpeg', ['-v', 'error', '-y', '-filter_complex', graph, '-map', '[v]', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '250', '-sc_threshold', '0', file]);
  return file;
}

const body = async (file: string) => new Response(await readFile(file)).body!;

async function queuedJob(mediaId: string) {
  const job = await getVideoJob(mediaId);
  return { id: job!.queueJobId!, mediaId, signal: new AbortController().signal, lastAttempt: false };
}

const chatCalls = () => stub.requests.filter((r) => r.path === '/v1/chat/completions').length;

beforeAll(async () => {
  stub = await startStubModel({ deltaDelayMs: 0 });
  vi.stubEnv('OPENAI_API_KEY', undefined);
  vi.stubEnv('OPENAI_COMPATIBLE_BASE_URL', stub.url);
  vi.stubEnv('OPENAI_COMPATIBLE_MODELS', 'stub-vision');
  vi.stubEnv('OPENAI_COMPATIBLE_API_KEY', 'unused');
  vi.stubEnv('OLLAMA_BASE_URL', 'http://127.0.0.1:9');
  vi.stubEnv('FALLBACK_MODELS', undefined);
  vi.stubEnv('DEFAULT_MODEL', undefined);
  await ensureTestUser(caller.id);
  clipDir = path.join(data.dir, 'clips');
  await run('mkdir', ['-p', clipDir]);
});

beforeEach(() => stub.reset());

afterAll(async () => {
  await stopJobQueue();
  await stub?.stop();
  await db().$disconnect();
});

describe('processing a video', () => {
  it('selects a frame per scene, captions them in grids, summarises, and stores it all', async () => {
    const video = await ingestVideo(caller, await body(await clip('four-scenes.mp4', 4, 0)), 'four-scenes.mp4');
    expect(video).toMatchObject({ kind: 'video', mediaType: 'video/mp4', width: 320, height: 180, durationMs: 8000 });
    expect((await getVideoJob(video.id))?.status).toBe('queued');

    await processVideo(await queuedJob(video.id));

    const job = await getVideoJob(video.id);
    expect(job).toMatchObject({ status: 'succeeded', stage: 'done', progress: 1, error: null, framesDone: true });
    const frames = await framesOf(video.id);
    // One frame at the start and one after each cut (2, 4, 6 s), each within a second of it.
    for (const cut of [0, 2000, 4000, 6000]) expect(frames.some((f) => f.timeMs >= cut && f.timeMs <= cut + 1000)).toBe(true);
    expect(frames.map((f) => f.index)).toEqual(frames.map((_, i) => i));
    expect(frames.at(-1)?.endMs).toBe(8000);
    for (const [i, f] of frames.entries()) {
      expect(f.caption).toMatch(/^Stub scene \d of this grid, at \d\d:\d\d\.$/);
      if (i > 0) expect(f.timeMs).toBeGreaterThan(frames[i - 1].timeMs);
    }
    expect(job?.summary).toMatch(/^A stub summary of a video in \d+ scenes/);
    const captionCalls = Math.ceil(frames.length / 4);
    expect(chatCalls()).toBe(captionCalls + 1);
    expect(job).toMatchObject({ modelCalls: captionCalls + 1, cachedCalls: 0 });
    // The copy people watch is stored and recorded, and the stream serves it.
    const media = await db().media.findUniqueOrThrow({ where: { id: video.id } });
    expect(media.playbackKey).toBe(`playback/${media.sha256}.mp4`);
    await expect(readFile(data.blobPath(media.playbackKey!))).resolves.toBeInstanceOf(Buffer);
    // Thumbnails are stored, one per frame.
    const thumbs = await readdir(path.join(data.dir, 'blobs', 'frames'), { recursive: true });
    expect(thumbs.filter((t) => t.endsWith('.jpg')).length).toBeGreaterThanOrEqual(frames.length);
  });

  it('answers a second analysis of the same video from the cache: no model calls', async () => {
    const file = await clip('again.mp4', 2, 1);
    const first = await ingestVideo(caller, await body(file), 'again.mp4');
    await processVideo(await queuedJob(first.id));
    const callsForFirst = chatCalls();
    expect(callsForFirst).toBeGreaterThan(0);

    const second = await ingestVideo(caller, await body(file), 'again-copy.mp4');
    await processVideo(await queuedJob(second.id));
    expect(chatCalls()).toBe(callsForFirst);
    expect(await getVideoJob(second.id)).toMatchObject({ status: 'succeeded', modelCalls: 0, cachedCalls: callsForFirst });
    expect((await framesOf(second.id)).map((f) => f.caption)).toEqual((await framesOf(first.id)).map((f) => f.caption));
  });

  it('resumes an attempt cut off after its frames and captions were stored, repeating only the unfinished call', async () => {
    // A model that takes a moment per call, so the attempt can be cut off in the middle of one.
    const slow = await startStubModel({ deltaDelayMs: 0, callDelayMs: 400 });
    vi.stubEnv('OPENAI_COMPATIBLE_BASE_URL', slow.url);
    try {
      const video = await ingestVideo(caller, await body(await clip('resume.mp4', 6, 2)), 'resume.mp4');
      const first = await queuedJob(video.id);
      const lost = new AbortController();
      const isSummary = (r: { body: unknown }) => JSON.stringify(r.body).includes('Here is the timeline of a video');
      // The queue aborts an attempt whose claim lapsed (a dead worker's heartbeat); here, while the
      // summary is being written, i.e. after frames and captions were stored.
      const watcher = setInterval(() => {
        if (slow.requests.some(isSummary)) lost.abort(new Error('claim lost'));
      }, 5);
      await expect(processVideo({ ...first, signal: lost.signal })).rejects.toThrow('claim lost');
      clearInterval(watcher);
      const framesAfterCrash = await framesOf(video.id);
      expect(framesAfterCrash.length).toBeGreaterThanOrEqual(6);
      expect(framesAfterCrash.every((f) => f.caption)).toBe(true);
      const captionCalls = Math.ceil(framesAfterCrash.length / 4);
      expect(slow.requests).toHaveLength(captionCalls + 1);

      // The queue's retry: a new attempt id takes over the row the dead one left "running".
      await processVideo({ id: randomUUID(), mediaId: video.id, signal: new AbortController().signal, lastAttempt: false });
      const frames = await framesOf(video.id);
      expect(frames.map((f) => [f.index, f.timeMs, f.caption])).toEqual(framesAfterCrash.map((f) => [f.index, f.timeMs, f.caption]));
      expect(await getVideoJob(video.id)).toMatchObject({ status: 'succeeded', attempts: 2, summary: expect.stringMatching(/^A stub summary/) });
      // Only the summary that was cut off is asked again; no frame is captioned twice.
      expect(slow.requests.slice(captionCalls + 1).map(isSummary)).toEqual([true]);
    } finally {
      vi.stubEnv('OPENAI_COMPATIBLE_BASE_URL', stub.url);
      await slow.stop();
    }
  });

  it('does nothing once canceled, and finishes when retried', async () => {
    const video = await ingestVideo(caller, await body(await clip('cancel.mp4', 2, 3)), 'cancel.mp4');
    await cancelProcessing(video.id);
    await processVideo(await queuedJob(video.id));
    expect(await getVideoJob(video.id)).toMatchObject({ status: 'canceled', framesDone: false });
    await expect(rejectionWith(cancelProcessing(video.id), 'conflict')).resolves.toBeDefined();

    await retryProcessing(video.id);
    expect((await getVideoJob(video.id))?.status).toBe('queued');
    await processVideo(await queuedJob(video.id));
    expect(await getVideoJob(video.id)).toMatchObject({ status: 'succeeded', framesDone: true });
    await expect(rejectionWith(retryProcessing(video.id), 'conflict')).resolves.toBeDefined();
  });

  it('runs queued videos through pg-boss workers', async () => {
    const { startWorkers } = await import('@/lib/jobs/worker');
    // Only videos: test files share the database, and other files' batches and recordings are theirs to run.
    vi.stubEnv('WORKER_QUEUES', 'video-process');
    await startWorkers();
    const video = await ingestVideo(caller, await body(await clip('queued.mp4', 2, 4)), 'queued.mp4');
    await vi.waitFor(async () => expect((await getVideoJob(video.id))?.status).toBe('succeeded'), { timeout: 30_000, interval: 200 });
    const boss = await jobQueue();
    const job = await boss.getJobById(queues.videoProcess.name, (await getVideoJob(video.id))!.queueJobId!);
    expect(job?.state).toBe('completed');
  });
});

describe('refusing a bad upload', () => {
  it('keeps nothing of a file that is not a video', async () => {
    const before = await db().media.count({ where: { userId: caller.id } });
    const error = await rejectionWith(ingestVideo(caller, new Response('<html>not a video</html>').body!, 'movie.mp4'), 'unsupported_type');
    expect(error.message).toMatch(/not a video/i);
    expect(await db().media.count({ where: { userId: caller.id } })).toBe(before);
    expect(await data.tempFiles()).toEqual([]);
  });
});
