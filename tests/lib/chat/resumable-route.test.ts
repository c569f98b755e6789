/**
 * A chat answer whose reader goes away mid-answer, reattached through GET /api/chat/:id/stream:
 * POST and GET called as Next would call them (the session and `after` are the only stand-ins),
 * against the real database and the stub model, once within this process (no REDIS_URL) and once
 * through the Redis server at 127.0.0.1:6379.
 */
import { randomUUID } from 'node:crypto';
import type { UIMessageChunk } from 'ai';
import { createClient } from 'redis';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startStubModel, type StubModel } from '@/e2e/stub-model/server';
import { cuttableHop, type CuttableHop } from '@/e2e/support/cuttable-hop';
import { POST } from '@/app/api/chat/route';
import { GET } from '@/app/api/chat/[id]/stream/route';
import { reattachStream, resumableAnswerResponse } from '@/lib/chat/resumable';
import { db } from '@/lib/db/client';
import { testPrisma } from '@/tests/support/db';
import { pointAtStub } from '@/tests/support/stub-env';
import { ensureTestUser } from '@/tests/support/users';

const REDIS_URL = 'redis://127.0.0.1:6379';

const { caller, pending, HEARTBEAT_TEST_MS } = vi.hoisted(() => ({ caller: { id: '' }, pending: [] as Promise<unknown>[], HEARTBEAT_TEST_MS: 100 }));
vi.mock('@/lib/auth/session', () => ({ requireCaller: async () => ({ id: caller.id, type: 'user' }), requireUser: async () => caller.id }));
vi.mock('next/server', async (importOriginal) => ({ ...(await importOriginal<object>()), after: (work: Promise<unknown>) => pending.push(work) }));
// The real interval is 15 s; a short one lets a test watch several heartbeats while the model is silent.
vi.mock('@/lib/api/sse', async (importOriginal) => ({ ...(await importOriginal<object>()), HEARTBEAT_MS: HEARTBEAT_TEST_MS }));

let stub: StubModel;
const prisma = testPrisma();
const redis = createClient({ url: REDIS_URL });

/** Forgets the shared streams, as a fresh server process (or another instance) would start without them. */
const newServerProcess = () => delete (globalThis as { glimpseResumable?: unknown }).glimpseResumable;

beforeAll(async () => {
  // 40 ms between words: an answer takes a couple of seconds, time enough to cut it in the middle.
  stub = await startStubModel({ deltaDelayMs: 40 });
  pointAtStub(stub.url);
  await redis.connect();
});

afterAll(async () => {
  await Promise.allSettled(pending);
  vi.unstubAllEnvs();
  newServerProcess();
  await stub?.stop();
  await redis.close();
  await prisma.$disconnect();
  await db().$disconnect();
});

type Chunk = { type: string; messageId?: string; delta?: string };

/** The UI message stream's chunks in an SSE body, as the browser's transport parses them. */
const chunksOf = (body: string): Chunk[] =>
  body
    .split('\n\n')
    .filter((block) => block.startsWith('data: {'))
    .map((block) => JSON.parse(block.slice('data: '.length)));

const textOf = (chunks: Chunk[]) => chunks.map((c) => (c.type === 'text-delta' ? c.delta : '')).join('');

/** Asks `question`, made unique so the answer cache never answers in the model's place. */
function ask(conversationId: string, question: string) {
  const text = `${question} (${randomUUID()})`;
  const body = { trigger: 'submit-message', id: conversationId, modelId: 'compatible:stub-vision', message: { parts: [{ type: 'text', text }] } };
  return POST(new Request('http://glimpse.test/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
}

const reattach = (conversationId: string) => GET(new Request(`http://glimpse.test/api/chat/${conversationId}/stream`), { params: Promise.resolve({ id: conversationId }) });

/** Reads the body until `enough` holds for what has arrived, then hangs up, as a closed tab or a dropped connection does. */
async function readThenDrop(response: Response, enough: (body: string) => boolean): Promise<string> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let body = '';
  while (!enough(body)) {
    const next = await reader.read();
    if (next.done) throw new Error(`the answer ended before the reader dropped it: ${body}`);
    body += next.value;
  }
  await reader.cancel();
  return body;
}

const storedAnswer = async (conversationId: string) => {
  const row = await prisma.message.findFirstOrThrow({ where: { conversationId, role: 'assistant' }, orderBy: { createdAt: 'desc' } });
  return { id: row.id, status: row.status, text: (row.parts as { type: string; text?: string }[]).find((p) => p.type === 'text')?.text };
};

describe.each([
  { backend: 'within this process', redisUrl: undefined },
  { backend: 'through Redis', redisUrl: REDIS_URL },
])('reattaching to an answer $backend', ({ redisUrl }) => {
  beforeAll(async () => {
    caller.id = `resumable-${redisUrl ? 'redis' : 'memory'}-${randomUUID()}`;
    await ensureTestUser(caller.id, { anonymous: false });
    vi.stubEnv('REDIS_URL', redisUrl);
    newServerProcess();
  });

  beforeEach(() => stub.reset());

  it('continues a dropped answer to its end, and the stored text is the streamed text', async () => {
    const conversationId = randomUUID();
    const response = await ask(conversationId, 'Describe the harbour');
    expect(response.status).toBe(200);
    const before = chunksOf(await readThenDrop(response, (body) => chunksOf(body).filter((c) => c.type === 'text-delta').length >= 3));
    const answerId = before.find((c) => c.type === 'start')?.messageId;
    expect((await storedAnswer(conversationId)).status).toBe('streaming');

    const resumed = await reattach(conversationId);
    expect(resumed.status).toBe(200);
    expect(resumed.headers.get('content-type')).toBe('text/event-stream');
    expect(resumed.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
    const body = await resumed.text();
    const chunks = chunksOf(body);
    // From the start again, under the message id the page already has, so the client replaces its copy.
    expect(chunks[0]).toMatchObject({ type: 'start', messageId: answerId });
    expect(textOf(chunks).startsWith(textOf(before))).toBe(true);
    expect(chunks.at(-1)?.type).toBe('finish');
    expect(body.endsWith('data: [DONE]\n\n')).toBe(true);

    await Promise.all(pending);
    const stored = await storedAnswer(conversationId);
    expect(stored).toEqual({ id: answerId, status: 'complete', text: textOf(chunks) });
    expect(stored.text).toContain('Stub answer to: "Describe the harbour (');
    // One model call: reattaching reads the answer being written, it never asks again.
    expect(stub.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(1);
    // Where the shared stream lived: Redis marks it finished; without Redis, Redis never heard of it.
    expect(await redis.get(`glimpse:answer:rs:sentinel:${answerId}`)).toBe(redisUrl ? 'DONE' : null);
  });

  it('serves two readers at once the same complete answer', async () => {
    const conversationId = randomUUID();
    const first = await ask(conversationId, 'Count the boats');
    const second = await reattach(conversationId);
    const [a, b] = await Promise.all([first.text(), second.text()]);
    expect(textOf(chunksOf(b))).toBe(textOf(chunksOf(a)));
    expect(textOf(chunksOf(a))).toContain('Stub answer to: "Count the boats (');
    await Promise.all(pending);
  });

  it('answers 204 once the answer is stored, and for a conversation with nothing running', async () => {
    const conversationId = randomUUID();
    await (await ask(conversationId, 'Is it raining?')).text();
    await Promise.all(pending);
    expect((await storedAnswer(conversationId)).status).toBe('complete');
    const response = await reattach(conversationId);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
  });

  it("answers 404 for another person's conversation, even mid-answer, and for one that does not exist", async () => {
    const conversationId = randomUUID();
    const owner = caller.id;
    const response = await ask(conversationId, 'Whose photo is this?');
    try {
      caller.id = `resumable-other-${randomUUID()}`;
      await ensureTestUser(caller.id);
      const foreign = await reattach(conversationId);
      expect(foreign.status).toBe(404);
      expect(await foreign.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
      expect((await reattach(randomUUID())).status).toBe(404);
      expect((await reattach('not-a-uuid')).status).toBe(404);
    } finally {
      caller.id = owner;
    }
    await response.text();
    await Promise.all(pending);
  });

  it('reaches an answer written by another server instance only through Redis', async () => {
    const conversationId = randomUUID();
    const response = await ask(conversationId, 'Where was this taken?');
    await readThenDrop(response, (body) => body.includes('"text-delta"'));
    newServerProcess();
    const resumed = await reattach(conversationId);
    if (redisUrl) {
      expect(resumed.status).toBe(200);
      expect(textOf(chunksOf(await resumed.text()))).toContain('Stub answer to: "Where was this taken? (');
    } else {
      // Without Redis another process knows nothing of it: the page waits for the stored answer instead.
      expect(resumed.status).toBe(204);
    }
    await Promise.all(pending);
    expect((await storedAnswer(conversationId)).status).toBe('complete');
  });

  it('sends heartbeat comments while the model is silent, to the first reader and to a reattached one', async () => {
    stub.configure({ callDelayMs: 8 * HEARTBEAT_TEST_MS });
    const conversationId = randomUUID();
    const response = await ask(conversationId, 'Think first');
    const resumed = await reattach(conversationId);
    const silentPart = (body: string) => body.slice(0, body.indexOf('"text-delta"'));
    const [first, second] = await Promise.all([response.text(), resumed.text()]);
    expect(first.startsWith(': stream-open\n\n')).toBe(true);
    // About one per interval of the model's silence (8 intervals); fewer than 4 would mean long silences.
    expect(silentPart(first).match(/^: keep-alive$/gm)?.length).toBeGreaterThanOrEqual(4);
    expect(silentPart(second).match(/^: keep-alive$/gm)?.length).toBeGreaterThanOrEqual(4);
    expect(textOf(chunksOf(second))).toBe(textOf(chunksOf(first)));
    await Promise.all(pending);
  });

  it('ends every reader when the answer stream itself fails, instead of leaving reattached ones waiting', async () => {
    const answerId = randomUUID();
    let fail!: (error: Error) => void;
    const source = new ReadableStream<UIMessageChunk>({
      start(controller) {
        controller.enqueue({ type: 'start', messageId: answerId });
        fail = (error) => controller.error(error);
      },
    });
    const response = await resumableAnswerResponse(answerId, source);
    const resumed = await reattachStream(answerId);
    expect(resumed?.status).toBe(200);
    fail(new Error('socket hang up'));
    const [first, second] = await Promise.all([response.text(), resumed!.text()]);
    expect(chunksOf(first)).toEqual([{ type: 'start', messageId: answerId }]);
    expect(chunksOf(second)).toEqual([{ type: 'start', messageId: answerId }]);
    await Promise.all(pending);
  });
});

describe('through Redis, when the connection to Redis fails mid-answer', () => {
  let hop: CuttableHop;

  beforeAll(async () => {
    caller.id = `resumable-blip-${randomUUID()}`;
    await ensureTestUser(caller.id, { anonymous: false });
    hop = await cuttableHop(REDIS_URL);
    vi.stubEnv('REDIS_URL', hop.url);
    newServerProcess();
  });

  afterAll(() => hop?.close());

  it('the first reader still gets the whole answer, with a reattached reader listening', async () => {
    const conversationId = randomUUID();
    const response = await ask(conversationId, 'Describe the lighthouse');
    const resumed = await reattach(conversationId);
    expect(resumed.status).toBe(200);
    const resumedBody = resumed.text();
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let body = '';
    let cut = false;
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      body += next.value;
      if (!cut && chunksOf(body).filter((c) => c.type === 'text-delta').length >= 5) {
        cut = true;
        // Redis unreachable for a few words' time: publishing to the reattached reader fails meanwhile.
        hop.setDown(true);
        setTimeout(() => hop.setDown(false), 300);
      }
    }
    expect(chunksOf(body).at(-1)?.type).toBe('finish');
    await Promise.all(pending);
    expect((await storedAnswer(conversationId)).text).toBe(textOf(chunksOf(body)));
    // The reattached reader missed words while Redis was away, but it ended rather than hanging.
    expect(chunksOf(await resumedBody)[0]?.type).toBe('start');
  });
});
