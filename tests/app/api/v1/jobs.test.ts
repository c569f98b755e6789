/**
 * Jobs through the HTTP API, against the real database, queue, blob storage, ffmpeg and the stub
 * model: a video (POST /analyze/video), a recording (POST /transcribe) and a batch (POST /batch)
 * started with 202, run here as a worker would run them, followed with GET /jobs/{id} and its
 * progress events; anyone else's job is a 404 like one that never was.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startStubModel, type StubModel } from '@/e2e/stub-model/server';
import { POST as analyzeVideo } from '@/app/api/v1/analyze/video/route';
import { POST as startBatch } from '@/app/api/v1/batch/route';
import { GET as jobEvents } from '@/app/api/v1/jobs/[id]/events/route';
import { GET as getJob } from '@/app/api/v1/jobs/[id]/route';
import { POST as transcribe } from '@/app/api/v1/transcribe/route';
import { db } from '@/lib/db/client';
import { runBatch } from '@/lib/jobs/batch/run';
import { processAudio } from '@/lib/jobs/audio/process';
import { stopJobQueue } from '@/lib/jobs/boss';
import { processVideo } from '@/lib/jobs/video/process';
import { apiKeyFor } from '@/tests/support/api';
import { sentencesWithPauses } from '@/tests/support/audio';
import { withdrawnBatchJob } from '@/tests/support/batches';
import { useLocalDataDir } from '@/tests/support/data-dir';
import { testPrisma } from '@/tests/support/db';
import { withdrawnJob } from '@/tests/support/recordings';
import { readEvents } from '@/tests/support/sse';
import { pointAtStub } from '@/tests/support/stub-env';
import { clipWithCuts } from '@/tests/support/videos';

vi.mock('next/server', async (importOriginal) => ({ ...(await importOriginal<object>()), after: () => {} }));

useLocalDataDir('api-jobs');
const prisma = testPrisma();
let stub: StubModel;
let dir: string;
let owner: Awaited<ReturnType<typeof apiKeyFor>>;
let stranger: Awaited<ReturnType<typeof apiKeyFor>>;

beforeAll(async () => {
  stub = await startStubModel({ deltaDelayMs: 0 });
  pointAtStub(stub.url, { transcription: 'compatible:stub-whisper' });
  vi.stubEnv('COMPATIBLE_PRICE', '0.2/0.6');
  dir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-api-jobs-'));
  owner = await apiKeyFor('jobs owner');
  stranger = await apiKeyFor('jobs stranger');
});

afterAll(async () => {
  await stopJobQueue();
  await stub?.stop();
  await prisma.$disconnect();
  await db().$disconnect();
});

/** The key's usage row for a job-starting route (requests are not counted here: `after` is a no-op in this file). */
async function jobSpending(keyId: string, route: string) {
  const rows = await prisma.apiUsage.findMany({ where: { keyId, route } });
  return { tokens: rows.reduce((sum, r) => sum + r.inputTokens + r.outputTokens, 0), costUsd: rows.reduce((sum, r) => sum + r.costUsd, 0) };
}

const auth = (key: string) => ({ authorization: `Bearer ${key}` });

async function upload(route: (request: Request) => Promise<Response>, path: string, file: string, key = owner.key) {
  return route(new Request(`http://glimpse.test${path}`, { method: 'POST', headers: auth(key), body: await readFile(file) }));
}

const job = (id: string, key = owner.key) => getJob(new Request(`http://glimpse.test/api/v1/jobs/${id}`, { headers: auth(key) }), { params: Promise.resolve({ id }) });
const events = (id: string, key = owner.key) => jobEvents(new Request(`http://glimpse.test/api/v1/jobs/${id}/events`, { headers: auth(key) }), { params: Promise.resolve({ id }) });

describe('a video', () => {
  it('starts with 202 and where to follow it, streams progress while it runs, and ends with its timeline', async () => {
    // Frames of its own: captioned live here, not taken from another file's cache.
    const clip = await clipWithCuts(dir, { hue: 200 });
    const started = await upload(analyzeVideo, '/api/v1/analyze/video?filename=cuts.mp4', clip.file);
    expect(started.status).toBe(202);
    const queued = await started.json();
    expect(queued).toMatchObject({ kind: 'video', status: 'queued', progress: 0, filename: 'cuts.mp4', duration_ms: clip.durationMs, summary: null, scenes: [], transcript: null });
    expect(started.headers.get('location')).toBe(`/api/v1/jobs/${queued.id}`);

    // Followed from before it runs (its first event says queued) to its end.
    const reader = (await events(queued.id)).body!.getReader();
    const decoder = new TextDecoder();
    const first = decoder.decode((await reader.read()).value);
    expect(readEvents(first)).toEqual([{ event: 'message', data: { status: 'queued', stage: 'probe', progress: 0, error: null, retry: 0, retries: 3, scenes: 0 } }]);
    const rest = (async () => {
      let text = '';
      for (let next = await reader.read(); !next.done; next = await reader.read()) text += decoder.decode(next.value);
      return text;
    })();
    await processVideo(await withdrawnJob(queued.id, true));
    const progress = readEvents(first + (await rest));
    expect(progress.at(-1)).toEqual({ event: 'message', data: { status: 'succeeded', stage: 'done', progress: 1, error: null, retry: 0, retries: 3, scenes: expect.any(Number) } });
    expect(progress.length).toBeGreaterThan(2);

    const done = await (await job(queued.id)).json();
    expect(done).toMatchObject({ id: queued.id, kind: 'video', status: 'succeeded', stage: 'done', progress: 1, error: null, summary: expect.stringMatching(/^A stub summary of a video in \d+ scenes/) });
    expect(done.scenes.length).toBe((progress.at(-1)!.data as { scenes: number }).scenes);
    expect(done.scenes[0]).toEqual({ index: 0, start_ms: 0, end_ms: expect.any(Number), caption: expect.stringMatching(/^Stub scene 1/), speech: expect.any(String) });
    // Its sound (a tone the stub hears as words) is transcribed too.
    expect(done.transcript).toMatchObject({ text: expect.stringContaining('Stub words 1'), segments: [expect.objectContaining({ start_ms: expect.any(Number), text: 'Stub words 1' })] });
    // What its captions and summary cost is the key's, on the route that started it.
    const spent = await jobSpending(owner.keyId, 'POST /api/v1/analyze/video');
    const { costUsd, modelCalls } = await prisma.videoJob.findUniqueOrThrow({ where: { mediaId: queued.id } });
    expect(modelCalls).toBeGreaterThan(0);
    expect(spent.costUsd).toBeCloseTo(costUsd, 9);
    expect(spent.costUsd).toBeGreaterThan(0);
    expect(spent.tokens).toBeGreaterThan(0);
  });

  it('refuses a file that is not a video with 415, keeping nothing', async () => {
    const text = path.join(dir, 'notes.mp4');
    await writeFile(text, 'these are not moving pictures'.repeat(100));
    const refused = await upload(analyzeVideo, '/api/v1/analyze/video?filename=notes.mp4', text, stranger.key);
    expect(refused.status).toBe(415);
    expect((await refused.json()).error.code).toBe('unsupported_type');
    expect(await prisma.media.count({ where: { userId: stranger.owner } })).toBe(0);
  });
});

describe('a recording', () => {
  it('is transcribed as a job: timed segments in GET /jobs/{id}', async () => {
    const speech = await sentencesWithPauses(dir);
    const started = await upload(transcribe, '/api/v1/transcribe?filename=pauses.wav', speech.file);
    expect(started.status).toBe(202);
    const queued = await started.json();
    expect(queued).toMatchObject({ kind: 'recording', status: 'queued', filename: 'pauses.wav', transcript: null });

    await processAudio(await withdrawnJob(queued.id, true));
    const done = await (await job(queued.id)).json();
    expect(done).toMatchObject({ kind: 'recording', status: 'succeeded', progress: 1, transcript: { text: expect.stringMatching(/^Stub words 1 Stub words 2 /) } });
    // The stored transcript, segment for segment, in milliseconds from the start.
    const { transcript } = await prisma.media.findUniqueOrThrow({ where: { id: queued.id }, include: { transcript: true } });
    const stored = transcript!.segments as { startMs: number; endMs: number; text: string }[];
    expect(done.transcript.segments).toEqual(stored.map((s) => ({ start_ms: s.startMs, end_ms: s.endMs, text: s.text })));
    expect(done.transcript.text).toBe(stored.map((s) => s.text).join(' '));
    // The first words are where the first sentence was said, to within the stub's 100 ms windows.
    expect(Math.abs(done.transcript.segments[0].start_ms - speech.speechMs[0].startMs)).toBeLessThanOrEqual(150);
    // A finished job's stream says so once and ends.
    expect(readEvents(await (await events(queued.id)).text())).toEqual([{ event: 'message', data: { status: 'succeeded', stage: 'done', progress: 1, error: null, retry: 0, retries: 3 } }]);
  });

  it('is refused with 503 when the server has no transcription model', async () => {
    vi.stubEnv('TRANSCRIPTION_MODEL', undefined);
    try {
      const speech = await sentencesWithPauses(dir);
      const refused = await upload(transcribe, '/api/v1/transcribe?filename=pauses.wav', speech.file);
      expect(refused.status).toBe(503);
      expect((await refused.json()).error).toEqual({ code: 'model_unavailable', message: expect.stringMatching(/^Transcription is not set up on this server/) });
    } finally {
      vi.stubEnv('TRANSCRIPTION_MODEL', 'compatible:stub-whisper');
    }
  });
});

describe('a batch', () => {
  it('runs one prompt with columns over the images sent, each with its typed answer', async () => {
    const images = await Promise.all(
      ['#264653', '#e9c46a', '#f4a261'].map(async (background) => ({ image_base64: (await sharp({ create: { width: 96, height: 64, channels: 3, background } }).png().toBuffer()).toString('base64') })),
    );
    const prompt = `Describe the colour. ${randomUUID()}`;
    const response = await startBatch(
      new Request('http://glimpse.test/api/v1/batch', {
        method: 'POST',
        headers: { ...auth(owner.key), 'content-type': 'application/json' },
        body: JSON.stringify({ prompt, columns: [{ name: 'colour', type: 'text' }, { name: 'bright', type: 'boolean' }], images }),
      }),
    );
    expect(response.status).toBe(202);
    const queued = await response.json();
    expect(queued).toMatchObject({ kind: 'batch', status: 'queued', progress: 0, prompt, model: 'compatible:stub-vision', counts: { total: 3, pending: 3, succeeded: 0 } });
    expect(queued.items.map((i: { index: number; status: string }) => [i.index, i.status])).toEqual([[0, 'pending'], [1, 'pending'], [2, 'pending']]);

    await runBatch(await withdrawnBatchJob(queued.id));
    const done = await (await job(queued.id)).json();
    expect(done).toMatchObject({ kind: 'batch', status: 'succeeded', progress: 1, counts: { total: 3, succeeded: 3, failed: 0 } });
    for (const item of done.items) expect(item).toMatchObject({ status: 'succeeded', text: null, error: null, result: { colour: expect.any(String), bright: expect.any(Boolean) } });

    const items = await prisma.batchItem.findMany({ where: { batchId: queued.id } });
    const spent = await jobSpending(owner.keyId, 'POST /api/v1/batch');
    expect(spent.tokens).toBe(items.reduce((sum, i) => sum + (i.inputTokens ?? 0) + (i.outputTokens ?? 0), 0));
    expect(spent.tokens).toBeGreaterThan(0);
    expect(spent.costUsd).toBeCloseTo(items.reduce((sum, i) => sum + (i.costUsd ?? 0), 0), 9);

    const [last] = readEvents(await (await events(queued.id)).text());
    expect(last.data).toMatchObject({ batch: { id: queued.id, status: 'completed', counts: { succeeded: 3 } }, items: expect.arrayContaining([expect.objectContaining({ status: 'succeeded' })]) });
  });

  it('refuses a batch without images, or with a column named twice', async () => {
    const post = (body: object) =>
      startBatch(new Request('http://glimpse.test/api/v1/batch', { method: 'POST', headers: { ...auth(owner.key), 'content-type': 'application/json' }, body: JSON.stringify(body) }));
    expect(await (await post({ prompt: 'x', images: [] })).json()).toEqual({ error: { code: 'bad_request', message: 'Invalid request: images: add at least one image' } });
    const twice = await post({ prompt: 'x', columns: [{ name: 'a', type: 'text' }, { name: 'A', type: 'text' }], images: [{ image_url: 'https://images.example/a.jpg' }] });
    expect((await twice.json()).error.message).toBe('Invalid request: columns: two columns have the same name');
  });
});

it('answers 404 alike for someone else’s job, an unknown one and a malformed id, state and events', async () => {
  const speech = await sentencesWithPauses(dir);
  const { id } = await (await upload(transcribe, '/api/v1/transcribe?filename=mine.wav', speech.file)).json();
  const notFound = { error: { code: 'not_found', message: 'This job does not exist.' } };
  for (const response of [await job(id, stranger.key), await job(randomUUID()), await job('not-an-id'), await events(id, stranger.key)]) {
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual(notFound);
  }
  expect((await job(id)).status).toBe(200);
  expect((await job(id, 'glk_' + 'x'.repeat(43))).status).toBe(401);
});
