/**
 * POST /api/v1/compare against the real database, blob storage, sharp and the stub model (which
 * answers structured output with JSON made from the request's schema): the comparison as a job
 * followed like any other and as events, stored as a comparison in the owner's history, and the
 * 2–10 image rule.
 */
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { startStubModel, type StubModel } from '@/e2e/stub-model/server';
import { POST as compare } from '@/app/api/v1/compare/route';
import { GET as jobEvents } from '@/app/api/v1/jobs/[id]/events/route';
import { GET as getJob } from '@/app/api/v1/jobs/[id]/route';
import { db } from '@/lib/db/client';
import { apiKeyFor } from '@/tests/support/api';
import { useLocalDataDir } from '@/tests/support/data-dir';
import { testPrisma } from '@/tests/support/db';
import { readEvents } from '@/tests/support/sse';
import { pointAtStub } from '@/tests/support/stub-env';

const pending: Promise<unknown>[] = [];
vi.mock('next/server', async (importOriginal) => ({ ...(await importOriginal<object>()), after: (work: Promise<unknown>) => pending.push(work) }));

useLocalDataDir('api-compare');
const prisma = testPrisma();
let stub: StubModel;
let key: string;
let owner: string;

beforeAll(async () => {
  stub = await startStubModel({ deltaDelayMs: 1 });
  pointAtStub(stub.url);
  ({ key, owner } = await apiKeyFor('compare'));
});

beforeEach(() => stub.reset());

afterAll(async () => {
  await Promise.allSettled(pending);
  await stub?.stop();
  await prisma.$disconnect();
  await db().$disconnect();
});

/** `count` images no other test sends (random colours), as base64. */
const images = (count: number) =>
  Promise.all(
    Array.from({ length: count }, async () => {
      const [r, g, b] = [0, 0, 0].map(() => Math.floor(Math.random() * 256));
      return { image_base64: (await sharp({ create: { width: 80, height: 60, channels: 3, background: { r, g, b } } }).png().toBuffer()).toString('base64') };
    }),
  );

const get = (url: string, withKey = key) => new Request(`http://glimpse.test${url}`, { headers: { authorization: `Bearer ${withKey}` } });
const params = (id: string) => ({ params: Promise.resolve({ id }) });

const post = (body: object) =>
  compare(new Request('http://glimpse.test/api/v1/compare', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }));

/** Follows the job the way a program would: its events until it ends, then its state. */
async function finished(id: string) {
  const events = readEvents(await (await jobEvents(get(`/api/v1/jobs/${id}/events`), params(id))).text());
  const job = await (await getJob(get(`/api/v1/jobs/${id}`), params(id))).json();
  return { events, job };
}

it('starts a comparison of three images as a job whose result is a table with one value per image, stored as a comparison', async () => {
  const prompt = `Which one should I pick? ${randomUUID()}`;
  stub.configure({ callDelayMs: 300 });
  const response = await post({ images: await images(3), prompt });
  expect(response.status).toBe(202);
  const started = await response.json();
  expect(response.headers.get('location')).toBe(`/api/v1/jobs/${started.id}`);
  expect(started).toEqual({
    id: expect.any(String),
    kind: 'comparison',
    status: 'running',
    progress: 0,
    error: null,
    created_at: expect.any(String),
    prompt,
    model: 'compatible:stub-vision',
    result: null,
    usage: null,
    cached: false,
  });

  const { events, job } = await finished(started.id);
  expect(events.map((e) => e.data)).toEqual([
    { status: 'running', progress: 0, error: null },
    { status: 'succeeded', progress: 1, error: null },
  ]);
  expect(job).toEqual({
    ...started,
    status: 'succeeded',
    progress: 1,
    result: { similarities: expect.any(Array), differences: expect.any(Array), recommendation: { choice: expect.any(Number), reason: expect.any(String) } },
    usage: { input_tokens: expect.any(Number), output_tokens: expect.any(Number), cost_usd: null },
  });
  for (const difference of job.result.differences) expect(difference.values).toHaveLength(3);
  const calls = stub.requests.filter((r) => r.path === '/v1/chat/completions');
  expect(calls).toHaveLength(1);
  expect(calls[0].imageCount).toBe(3);
  expect((calls[0].body as { response_format?: object }).response_format).toBeDefined();

  const [question, answer] = await prisma.message.findMany({ where: { conversationId: job.id }, orderBy: { createdAt: 'asc' } });
  expect(question.parts).toEqual(expect.arrayContaining([{ type: 'data-compare', data: {} }]));
  expect(answer.parts).toEqual([{ type: 'data-comparison', id: 'comparison', data: { state: 'complete', ...job.result } }]);
  expect(await prisma.conversation.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ userId: owner });
});

it('is another person’s job to nobody: their key gets 404 for it, as for an id that never was', async () => {
  const response = await post({ images: await images(2), prompt: `Private ${randomUUID()}` });
  const { id } = await response.json();
  const other = await apiKeyFor('compare-other');
  for (const url of [`/api/v1/jobs/${id}`, `/api/v1/jobs/${id}/events`]) {
    const handler = url.endsWith('/events') ? jobEvents : getJob;
    const theirs = await handler(get(url, other.key), params(id));
    expect(theirs.status).toBe(404);
    expect(await theirs.json()).toEqual({ error: { code: 'not_found', message: 'This job does not exist.' } });
  }
  // A conversation of the owner's that is no comparison is no job either.
  const chat = await prisma.conversation.create({ data: { userId: owner, title: 'chat', modelId: 'compatible:stub-vision' } });
  await prisma.message.create({ data: { id: randomUUID(), conversationId: chat.id, role: 'user', parts: [{ type: 'text', text: 'hello' }] } });
  expect((await getJob(get(`/api/v1/jobs/${chat.id}`), params(chat.id))).status).toBe(404);
  await finished(id);
});

it('answers a comparison made before from the cache, as a job of its own', async () => {
  const body = { images: await images(2), prompt: `Again ${randomUUID()}` };
  const first = await finished((await (await post(body)).json()).id);
  expect(first.job).toMatchObject({ status: 'succeeded', cached: false });
  const again = await post(body);
  expect(again.status).toBe(202);
  const { job } = await finished((await again.json()).id);
  expect(job).toMatchObject({ status: 'succeeded', progress: 1, cached: true, result: first.job.result });
  expect(job.id).not.toBe(first.job.id);
  expect(stub.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(1);
});

it('streams partial tables, then the result; without a prompt it asks the default question', async () => {
  const response = await post({ images: await images(2), stream: true });
  const events = readEvents(await response.text());
  expect(events[0].event).toBe('start');
  const partials = events.filter((e) => e.event === 'partial');
  expect(partials.length).toBeGreaterThan(0);
  expect(partials.at(-1)!.data).toEqual({ similarities: expect.any(Array), differences: expect.any(Array), recommendation: null });
  const result = events.at(-1)!;
  expect(result).toMatchObject({ event: 'result', data: { result: { recommendation: null } } });
  const calls = stub.requests.filter((r) => r.path === '/v1/chat/completions');
  expect(JSON.stringify(calls[0].body)).toContain('Compare these images');
});

it('asks again for a malformed comparison, telling a stream to start over, and fails the job (or the stream) after the second', async () => {
  const streamed = readEvents(await (await post({ images: await images(2), prompt: 'Compare [json:brokenx1]', stream: true })).text());
  expect(streamed.filter((e) => e.event === 'retry')).toEqual([{ event: 'retry', data: { attempt: 2 } }]);
  expect(streamed.at(-1)!.event).toBe('result');

  const started = await post({ images: await images(2), prompt: 'Compare [json:broken]' });
  expect(started.status).toBe(202);
  const { events, job } = await finished((await started.json()).id);
  expect(events.at(-1)!.data).toEqual({ status: 'failed', progress: 1, error: expect.stringMatching(/^The model answered with a malformed comparison 2 times/) });
  expect(job).toMatchObject({ status: 'failed', result: null, error: (events.at(-1)!.data as { error: string }).error });

  const streamedFailure = readEvents(await (await post({ images: await images(2), prompt: 'Compare [json:broken]', stream: true })).text());
  expect(streamedFailure.at(-1)).toEqual({ event: 'error', data: { error: { code: 'model_error', message: expect.stringMatching(/^The model answered with a malformed comparison 2 times/) } } });
});

it.each([
  [1, 'Invalid request: images: a comparison takes 2 to 10 images'],
  [11, 'Invalid request: images: a comparison takes 2 to 10 images'],
])('refuses %i images with a 400 that says how many it takes', async (count, message) => {
  const response = await post({ images: Array.from({ length: count }, () => ({ image_url: 'https://images.example/a.jpg' })) });
  expect(response.status).toBe(400);
  expect(await response.json()).toEqual({ error: { code: 'bad_request', message } });
  expect(stub.requests).toHaveLength(0);
});
