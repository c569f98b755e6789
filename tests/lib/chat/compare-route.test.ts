/**
 * POST /api/chat with `mode: 'compare'`, called as Next would call it (the session and `after` are
 * the only stand-ins), against the real database, blob storage and the stub model: the 2–10 image
 * rule, the stored question's marker, regenerate comparing again, and a follow-up that sees the table.
 */
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startStubModel, type StubModel } from '@/e2e/stub-model/server';
import { POST } from '@/app/api/chat/route';
import type { ComparisonData } from '@/lib/chat/comparison-schema';
import { mediaUrl } from '@/lib/chat/types';
import { db } from '@/lib/db/client';
import { ingestImage } from '@/lib/uploads/image';
import { useLocalDataDir } from '@/tests/support/data-dir';
import { testPrisma } from '@/tests/support/db';
import { pointAtStub } from '@/tests/support/stub-env';
import { ensureTestUser } from '@/tests/support/users';

const userId = `compare-route-${randomUUID()}`;
const stored: Promise<void>[] = [];

vi.mock('@/lib/auth/session', () => ({ requireCaller: async () => ({ id: userId, type: 'user' }) }));
vi.mock('next/server', async (importOriginal) => ({ ...(await importOriginal<object>()), after: (work: Promise<void>) => stored.push(work) }));

let stub: StubModel;
const prisma = testPrisma();

useLocalDataDir('compare-route');

beforeAll(async () => {
  stub = await startStubModel({ deltaDelayMs: 1 });
  vi.stubEnv('MAX_IMAGES_PER_MESSAGE', undefined);
  pointAtStub(stub.url);
  await ensureTestUser(userId, { anonymous: false });
});

beforeEach(() => stub.reset());

afterAll(async () => {
  await Promise.allSettled(stored);
  vi.unstubAllEnvs();
  await stub?.stop();
  await prisma.$disconnect();
  await db().$disconnect();
});

const modelCalls = () => stub.requests.filter((r) => r.path === '/v1/chat/completions');

function post(body: object) {
  return POST(new Request('http://glimpse.test/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
}

function submit(id: string, urls: string[], text: string, mode?: 'compare') {
  const parts = [...urls.map((url) => ({ type: 'file', url, mediaType: 'image/jpeg' })), ...(text ? [{ type: 'text', text }] : [])];
  return post({ trigger: 'submit-message', id, modelId: 'compatible:stub-vision', ...(mode ? { mode } : {}), message: { parts } });
}

/** The UI message stream's chunks, as the browser reads them from the SSE body. */
async function chunksOf(response: Response): Promise<{ type: string; data?: ComparisonData; id?: string; delta?: string; errorText?: string }[]> {
  expect(response.status).toBe(200);
  const text = await response.text();
  await Promise.all(stored);
  return text
    .split('\n')
    .filter((line) => line.startsWith('data: {'))
    .map((line) => JSON.parse(line.slice('data: '.length)));
}

async function images(count: number): Promise<string[]> {
  const uploads = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const bytes = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 20 * i, g: 120, b: 200 } } }).jpeg().toBuffer();
      return ingestImage(userId, bytes, `photo-${i + 1}.jpg`);
    }),
  );
  return uploads.map((u) => mediaUrl(u.id));
}

describe('POST /api/chat mode compare', () => {
  it('refuses one image, saying the count and the limit, and stores nothing', async () => {
    const id = randomUUID();
    const response = await submit(id, await images(1), 'Compare', 'compare');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: 'bad_request', message: 'A comparison takes 2 to 10 images; this message has 1. Attach at least 2.' },
    });
    expect(await prisma.conversation.findUnique({ where: { id } })).toBeNull();
    expect(modelCalls()).toHaveLength(0);
  });

  it('refuses eleven images, saying the count and the limit', async () => {
    const id = randomUUID();
    const urls = Array.from({ length: 11 }, () => mediaUrl(randomUUID()));
    const response = await submit(id, urls, 'Compare', 'compare');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: 'too_many_files', message: 'A comparison takes 2 to 10 images; this message has 11. Remove 1.' },
    });
    expect(await prisma.conversation.findUnique({ where: { id } })).toBeNull();
  });

  it('compares three images, marks the question, compares again on regenerate, and a follow-up sees the table', async () => {
    const id = randomUUID();
    const chunks = await chunksOf(await submit(id, await images(3), '', 'compare'));
    const last = chunks.filter((c) => c.type === 'data-comparison').at(-1)?.data;
    expect(last).toMatchObject({ state: 'complete', similarities: ['Stub similarities 1', 'Stub similarities 2', 'Stub similarities 3'] });
    expect(modelCalls()).toHaveLength(1);
    expect(modelCalls()[0].imageCount).toBe(3);

    const [question, answer] = await prisma.message.findMany({ where: { conversationId: id }, orderBy: { createdAt: 'asc' } });
    // An empty question is the default one, and the marker says how to answer it.
    expect(question.parts).toEqual(expect.arrayContaining([{ type: 'text', text: 'Compare these images' }, { type: 'data-compare', data: {} }]));
    expect(answer).toMatchObject({ status: 'complete', parts: [{ type: 'data-comparison', id: 'comparison', data: last }] });

    const again = await chunksOf(await post({ trigger: 'regenerate-message', id, modelId: 'compatible:stub-vision', messageId: answer.id }));
    expect(again.filter((c) => c.type === 'data-comparison').at(-1)?.data).toEqual(last);
    expect(again.some((c) => c.type === 'text-delta')).toBe(false);
    expect(modelCalls()).toHaveLength(2);
    expect((modelCalls()[1].body as { response_format?: object }).response_format).toBeDefined();

    const followUp = await chunksOf(await submit(id, [], 'Which differences matter most?'));
    expect(followUp.some((c) => c.type === 'text-delta')).toBe(true);
    const sent = (modelCalls()[2].body as { messages: { role: string; content: unknown }[]; response_format?: object }).messages;
    expect((modelCalls()[2].body as { response_format?: object }).response_format).toBeUndefined();
    const context = sent.find((m) => m.role === 'assistant');
    expect(context?.content).toContain('Comparison of the images (numbered in the order given):');
    expect(context?.content).toContain('- Stub aspect 1: image 1: Stub values 1.1; image 2: Stub values 1.2; image 3: Stub values 1.3');
  });
});
