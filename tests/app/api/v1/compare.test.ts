/**
 * POST /api/v1/compare against the real database, blob storage, sharp and the stub model (which
 * answers structured output with JSON made from the request's schema): the comparison as JSON and
 * as events, stored as a comparison in the owner's history, and the 2–10 image rule.
 */
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { startStubModel, type StubModel } from '@/e2e/stub-model/server';
import { POST as compare } from '@/app/api/v1/compare/route';
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

const post = (body: object) =>
  compare(new Request('http://glimpse.test/api/v1/compare', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }));

it('compares three images into a table with one value per image, stored as a comparison', async () => {
  const response = await post({ images: await images(3), prompt: `Which one should I pick? ${randomUUID()}` });
  expect(response.status).toBe(200);
  const body = await response.json();
  expect(body).toEqual({
    id: expect.any(String),
    model: 'compatible:stub-vision',
    result: { similarities: expect.any(Array), differences: expect.any(Array), recommendation: { choice: expect.any(Number), reason: expect.any(String) } },
    usage: { input_tokens: expect.any(Number), output_tokens: expect.any(Number), cost_usd: null },
    cached: false,
  });
  for (const difference of body.result.differences) expect(difference.values).toHaveLength(3);
  const calls = stub.requests.filter((r) => r.path === '/v1/chat/completions');
  expect(calls).toHaveLength(1);
  expect(calls[0].imageCount).toBe(3);
  expect((calls[0].body as { response_format?: object }).response_format).toBeDefined();

  const [question, answer] = await prisma.message.findMany({ where: { conversationId: body.id }, orderBy: { createdAt: 'asc' } });
  expect(question.parts).toEqual(expect.arrayContaining([{ type: 'data-compare', data: {} }]));
  expect(answer.parts).toEqual([{ type: 'data-comparison', id: 'comparison', data: { state: 'complete', ...body.result } }]);
  expect(await prisma.conversation.findUniqueOrThrow({ where: { id: body.id } })).toMatchObject({ userId: owner });
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

it('asks again for a malformed comparison, telling a stream to start over, and fails with 502 after the second', async () => {
  const streamed = readEvents(await (await post({ images: await images(2), prompt: 'Compare [json:brokenx1]', stream: true })).text());
  expect(streamed.filter((e) => e.event === 'retry')).toEqual([{ event: 'retry', data: { attempt: 2 } }]);
  expect(streamed.at(-1)!.event).toBe('result');

  const failed = await post({ images: await images(2), prompt: 'Compare [json:broken]' });
  expect(failed.status).toBe(502);
  expect(await failed.json()).toEqual({ error: { code: 'model_error', message: expect.stringMatching(/^The model answered with a malformed comparison 2 times/) } });
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
