/**
 * POST /api/v1/analyze/image and /analyze/upload called as Next calls them (`after` is the only
 * stand-in), against the real database, blob storage, sharp and the stub model over HTTP: the
 * answer as JSON and as Server-Sent Events, the conversation it is stored in, the cache, the
 * key's usage with its tokens, and the error shape of every refusal.
 */
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startStubModel, stubAnswer, type StubModel } from '@/e2e/stub-model/server';
import { POST as analyzeImage } from '@/app/api/v1/analyze/image/route';
import { POST as analyzeUpload } from '@/app/api/v1/analyze/upload/route';
import { db } from '@/lib/db/client';
import { apiKeyFor, localServer, type LocalServer } from '@/tests/support/api';
import { useLocalDataDir } from '@/tests/support/data-dir';
import { testPrisma } from '@/tests/support/db';
import { noisy } from '@/tests/support/images';
import { readEvents } from '@/tests/support/sse';
import { pointAtStub } from '@/tests/support/stub-env';

const pending: Promise<unknown>[] = [];
vi.mock('next/server', async (importOriginal) => ({ ...(await importOriginal<object>()), after: (work: Promise<unknown>) => pending.push(work) }));
vi.mock('@/lib/net/safe-fetch', () => import('@/tests/support/public-web').then((m) => m.safeFetchWithPublicExampleHosts()));

useLocalDataDir('api-analyze');
const prisma = testPrisma();
let stub: StubModel;
let images: LocalServer;
let photo: Buffer;

beforeAll(async () => {
  stub = await startStubModel({ deltaDelayMs: 1 });
  pointAtStub(stub.url);
  vi.stubEnv('COMPATIBLE_PRICE', '0.2/0.6');
  photo = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#2a9d8f' } }).jpeg().toBuffer();
  images = await localServer((req, res) => {
    if (req.url === '/photo.jpg') return res.writeHead(200, { 'content-type': 'image/jpeg' }).end(photo);
    if (req.url === '/page.html') return res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><p>not an image</p>');
    res.writeHead(404).end();
  });
});

beforeEach(() => stub.reset());

afterAll(async () => {
  await Promise.allSettled(pending);
  await images?.close();
  await stub?.stop();
  await prisma.$disconnect();
  await db().$disconnect();
});

const modelCalls = () => stub.requests.filter((r) => r.path === '/v1/chat/completions');

/** Lets usage (recorded after the response) and stored answers settle. */
const settled = () => Promise.allSettled(pending.splice(0));

function postJson(key: string | null, body: unknown) {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) };
  return analyzeImage(new Request('http://glimpse.test/api/v1/analyze/image', { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) }));
}

function postForm(key: string, fields: Record<string, string | Blob>) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return analyzeUpload(new Request('http://glimpse.test/api/v1/analyze/upload', { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form }));
}

const usageOf = async (keyId: string) => {
  await settled();
  return prisma.apiUsage.findMany({ where: { keyId }, select: { route: true, requests: true, errors: true, inputTokens: true, outputTokens: true, costUsd: true } });
};

describe('POST /api/v1/analyze/image', () => {
  it('answers a base64 image as JSON, stores it in the owner’s history, and counts the tokens against the key', async () => {
    const { owner, key, keyId } = await apiKeyFor('analyze base64');
    const prompt = `What colour is this? ${randomUUID()}`;
    const response = await postJson(key, { image_base64: photo.toString('base64'), prompt });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({
      id: expect.any(String),
      model: 'compatible:stub-vision',
      result: stubAnswer(prompt, 1, 'stub-vision'),
      usage: { input_tokens: expect.any(Number), output_tokens: expect.any(Number), cost_usd: expect.any(Number) },
      cached: false,
    });
    expect(body.usage.input_tokens).toBeGreaterThan(0);
    expect(modelCalls()).toHaveLength(1);
    expect(modelCalls()[0].imageCount).toBe(1);

    // A conversation of the key's owner, titled by the prompt: the question with its image, and the answer.
    const conversation = await prisma.conversation.findUniqueOrThrow({ where: { id: body.id }, include: { messages: { orderBy: { createdAt: 'asc' } } } });
    expect(conversation).toMatchObject({ userId: owner, title: prompt });
    expect(conversation.messages.map((m) => [m.role, m.status])).toEqual([['user', 'complete'], ['assistant', 'complete']]);
    expect(await prisma.media.count({ where: { userId: owner, conversationId: body.id, kind: 'image' } })).toBe(1);

    expect(await usageOf(keyId)).toEqual([
      { route: 'POST /api/v1/analyze/image', requests: 1, errors: 0, inputTokens: body.usage.input_tokens, outputTokens: body.usage.output_tokens, costUsd: body.usage.cost_usd },
    ]);
  });

  it('fetches an image URL, answers the same question again from the cache, and passes max_tokens on', async () => {
    const { keyId, key } = await apiKeyFor('analyze url');
    const prompt = `Describe it. ${randomUUID()}`;
    const first = await (await postJson(key, { image_url: `http://images.example:${images.port}/photo.jpg`, prompt, max_tokens: 50 })).json();
    expect(first).toMatchObject({ cached: false, result: stubAnswer(prompt, 1, 'stub-vision') });
    expect((modelCalls()[0].body as { max_tokens?: number }).max_tokens).toBe(50);
    const conversation = await prisma.conversation.findUniqueOrThrow({ where: { id: first.id }, include: { media: true } });
    expect(conversation.media.map((m) => m.filename)).toEqual(['photo.jpg']);

    // The same bytes inline: the same image, so the same answer, from the cache, for nothing.
    const again = await (await postJson(key, { image_base64: `data:image/jpeg;base64,${photo.toString('base64')}`, prompt, max_tokens: 50 })).json();
    expect(again).toEqual({ ...first, id: expect.not.stringMatching(first.id), cached: true, usage: { ...first.usage, cost_usd: 0 } });
    expect(modelCalls()).toHaveLength(1);

    // A different cap is a different answer: the model is asked.
    expect((await (await postJson(key, { image_base64: photo.toString('base64'), prompt })).json()).cached).toBe(false);
    expect(modelCalls()).toHaveLength(2);

    const [usage] = await usageOf(keyId);
    expect(usage).toMatchObject({ requests: 3, errors: 0, inputTokens: first.usage.input_tokens * 2 });
  });

  it('streams the answer as Server-Sent Events: start, deltas that join into the result, then the result', async () => {
    const { key } = await apiKeyFor('analyze stream');
    const prompt = `Stream it. ${randomUUID()}`;
    const response = await postJson(key, { image_base64: photo.toString('base64'), prompt, stream: true });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events = readEvents(await response.text());
    expect(events[0]).toEqual({ event: 'start', data: { id: expect.any(String) } });
    const deltas = events.filter((e) => e.event === 'delta');
    expect(deltas.length).toBeGreaterThan(5);
    const result = events.at(-1)!;
    expect(result.event).toBe('result');
    expect(result.data).toMatchObject({ id: (events[0].data as { id: string }).id, result: stubAnswer(prompt, 1, 'stub-vision'), cached: false });
    expect(deltas.map((d) => (d.data as { text: string }).text).join('')).toBe((result.data as { result: string }).result);
    expect(events.map((e) => e.event).filter((name) => name !== 'delta')).toEqual(['start', 'result']);
  });

  it('ends a stream whose model failed with an error event, and a JSON request with a 502, each counted as an error', async () => {
    const { key, keyId } = await apiKeyFor('analyze failing');
    const prompt = 'Fail please [fail:500]';
    const streamed = readEvents(await (await postJson(key, { image_base64: photo.toString('base64'), prompt, stream: true })).text());
    expect(streamed.at(-1)).toEqual({ event: 'error', data: { error: { code: 'model_error', message: 'The model server failed (HTTP 500). Try again, or pick another model.' } } });

    const json = await postJson(key, { image_base64: photo.toString('base64'), prompt });
    expect(json.status).toBe(502);
    expect(await json.json()).toEqual({ error: { code: 'model_error', message: 'The model server failed (HTTP 500). Try again, or pick another model.' } });
    expect(await usageOf(keyId)).toEqual([expect.objectContaining({ requests: 2, errors: 2 })]);
  });

  it.each([
    ['no key', null, { prompt: 'x', image_base64: 'AAAA' }, 401, 'unauthorized', /no API key/],
    ['a body that is not JSON', 'KEY', '{"prompt":', 400, 'bad_request', /^The request body is not valid JSON\.$/],
    ['no prompt', 'KEY', { image_base64: 'AAAA' }, 400, 'bad_request', /^Invalid request: prompt:/],
    ['no image', 'KEY', { prompt: 'What is it?' }, 400, 'bad_request', /send exactly one of image_url and image_base64/],
    ['two images', 'KEY', { prompt: 'What?', image_base64: 'AAAA', image_url: 'https://images.example/a.jpg' }, 400, 'bad_request', /exactly one/],
    ['an ftp URL', 'KEY', { prompt: 'What?', image_url: 'ftp://images.example/a.jpg' }, 400, 'bad_request', /image_url must be an http or https URL/],
    ['broken base64', 'KEY', { prompt: 'What?', image_base64: 'not base64!' }, 400, 'bad_request', /image_base64 is not valid base64/],
    ['an unknown model', 'KEY', { prompt: 'What?', image_base64: 'AAAA', model: 'openai:gpt-9' }, 400, 'bad_request', /The model "openai:gpt-9" is not available on this server\. Available: compatible:stub-vision\./],
    ['max_tokens of 0', 'KEY', { prompt: 'What?', image_base64: 'AAAA', max_tokens: 0 }, 400, 'bad_request', /^Invalid request: max_tokens:/],
  ])('refuses %s in the shared error shape, asking no model', async (_what, keyed, body, status, code, message) => {
    const { key } = await apiKeyFor('refusals');
    const response = await postJson(keyed && key, body);
    expect(response.status).toBe(status);
    const json = await response.json();
    expect(json).toEqual({ error: { code, message: expect.stringMatching(message) } });
    expect(modelCalls()).toHaveLength(0);
  });

  it('validates a fetched file like an upload: a web page is refused with 415 and nothing is stored', async () => {
    const { owner, key } = await apiKeyFor('not an image');
    const response = await postJson(key, { prompt: 'What?', image_url: `http://images.example:${images.port}/page.html` });
    expect(response.status).toBe(415);
    expect((await response.json()).error.code).toBe('unsupported_type');
    expect(await prisma.media.count({ where: { userId: owner } })).toBe(0);
    expect(await prisma.conversation.count({ where: { userId: owner } })).toBe(0);
  });

  it('refuses an image over the size limit with 413, and stops reading a body too large to carry one', async () => {
    vi.stubEnv('MAX_IMAGE_BYTES', '1000');
    try {
      const { key } = await apiKeyFor('too large');
      const noise = await noisy(64, 64).png().toBuffer();
      const response = await postJson(key, { prompt: 'What?', image_base64: noise.toString('base64') });
      expect(response.status).toBe(413);
      expect((await response.json()).error).toEqual({ code: 'too_large', message: expect.stringMatching(/^image_base64 decodes to about .*; the limit is 1000 B per image\.$/) });

      // 256 KB of fields and a third more than the image limit is the most a body can be.
      const body = JSON.stringify({ prompt: 'x'.repeat(300_000), image_base64: 'AAAA' });
      const tooLong = await postJson(key, body);
      expect(tooLong.status).toBe(413);
      expect((await tooLong.json()).error.message).toMatch(/^This request body is over 257\.3 KB; the limit is 257\.3 KB\.$/);
      expect(modelCalls()).toHaveLength(0);
    } finally {
      vi.stubEnv('MAX_IMAGE_BYTES', undefined);
    }
  });

  it('refuses a question over the daily message quota with 429 and Retry-After', async () => {
    vi.stubEnv('QUOTA_USER_MESSAGES_PER_DAY', '0');
    try {
      const { key } = await apiKeyFor('over quota');
      const response = await postJson(key, { prompt: 'What?', image_base64: photo.toString('base64') });
      expect(response.status).toBe(429);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await response.json()).error.code).toBe('rate_limited');
    } finally {
      vi.stubEnv('QUOTA_USER_MESSAGES_PER_DAY', undefined);
    }
  });
});

describe('POST /api/v1/analyze/upload', () => {
  it('answers a multipart file as JSON, named as the file was', async () => {
    const { owner, key } = await apiKeyFor('upload json');
    const prompt = `What is in the file? ${randomUUID()}`;
    const response = await postForm(key, { file: new File([new Uint8Array(photo)], 'holiday.jpg', { type: 'image/jpeg' }), prompt, max_tokens: '40' });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ result: stubAnswer(prompt, 1, 'stub-vision'), cached: false });
    expect((modelCalls()[0].body as { max_tokens?: number }).max_tokens).toBe(40);
    expect(await prisma.media.findFirst({ where: { userId: owner }, select: { filename: true, conversationId: true } })).toEqual({ filename: 'holiday.jpg', conversationId: body.id });
  });

  it('streams with stream=true', async () => {
    const { key } = await apiKeyFor('upload stream');
    const prompt = `Stream the file. ${randomUUID()}`;
    const response = await postForm(key, { file: new File([new Uint8Array(photo)], 'a.jpg'), prompt, stream: 'true' });
    const events = readEvents(await response.text());
    expect(events.at(-1)).toMatchObject({ event: 'result', data: { result: stubAnswer(prompt, 1, 'stub-vision') } });
  });

  it('refuses a form without a file, and a file that is not an image', async () => {
    const { key } = await apiKeyFor('upload refusals');
    const missing = await postForm(key, { prompt: 'What?' });
    expect(missing.status).toBe(400);
    expect((await missing.json()).error.message).toMatch(/^Invalid request: file:/);
    const text = await postForm(key, { file: new File(['just some text'], 'notes.png'), prompt: 'What?' });
    expect(text.status).toBe(415);
    expect((await text.json()).error.code).toBe('unsupported_type');
    const notForm = await analyzeUpload(new Request('http://glimpse.test/api/v1/analyze/upload', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: '{}' }));
    expect(await notForm.json()).toEqual({ error: { code: 'bad_request', message: 'The request body is not valid multipart/form-data.' } });
    expect(modelCalls()).toHaveLength(0);
  });
});
