/**
 * compareStream against the real database and blob storage: with the stub model over HTTP (the
 * provider the app uses, structured outputs on) for the whole path, and with the AI SDK's mock
 * model for answers the stub never gives (well-formed JSON that does not fit the images).
 */
import { randomUUID } from 'node:crypto';
import { simulateReadableStream } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { stubJson } from '@/e2e/stub-model/json-answer';
import { promptTokens, startStubModel, type StubModel } from '@/e2e/stub-model/server';
import type { ModelSpec } from '@/lib/ai/catalog';
import { findModel } from '@/lib/ai/registry';
import type { Chunk } from '@/lib/chat/answer';
import { claimAnswer, isAnswering, stopAnswer } from '@/lib/chat/active';
import { COMPARE_ATTEMPTS, compareStream } from '@/lib/chat/compare';
import { comparisonSchema, type ComparisonData } from '@/lib/chat/comparison-schema';
import { loadTurns } from '@/lib/chat/conversation-input';
import { mediaUrl, type ChatMessage } from '@/lib/chat/types';
import { db } from '@/lib/db/client';
import { conversationMessages, saveQuestion } from '@/lib/db/messages';
import type { Message } from '@/lib/generated/prisma/client';
import { ingestImage, type UploadedImage } from '@/lib/uploads/image';
import { useLocalDataDir } from '@/tests/support/data-dir';
import { testPrisma } from '@/tests/support/db';
import { pointAtStub } from '@/tests/support/stub-env';
import { ensureTestUser } from '@/tests/support/users';

/** The mock model stands in for any spec named `mock`; everything else reaches the stub. */
const mockAnswers: string[] = [];
const mockModel = new MockLanguageModelV4({
  doStream: async () => {
    const text = mockAnswers.shift() ?? '{}';
    return {
      stream: simulateReadableStream({
        chunks: [
          { type: 'text-start' as const, id: '1' },
          ...text.match(/.{1,12}/gs)!.map((delta) => ({ type: 'text-delta' as const, id: '1', delta })),
          { type: 'text-end' as const, id: '1' },
          {
            type: 'finish' as const,
            finishReason: { unified: 'stop' as const, raw: 'stop' },
            usage: { inputTokens: { total: 100, noCache: 100, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 10, text: 10, reasoning: 0 } },
          },
        ],
      }),
    };
  },
});
vi.mock('@/lib/ai/providers', async (importOriginal) => {
  const original = await importOriginal<typeof import('@/lib/ai/providers')>();
  return { ...original, languageModel: (spec: ModelSpec) => (spec.name === 'mock' ? mockModel : original.languageModel(spec)) };
});

const BROKEN_TWICE = `The model answered with a malformed comparison ${COMPARE_ATTEMPTS} times, so there is no table to show. Try again, or pick another model.`;

let stub: StubModel;
const prisma = testPrisma();
const userId = `compare-test-${randomUUID()}`;

useLocalDataDir('compare-test');

beforeAll(async () => {
  stub = await startStubModel({ deltaDelayMs: 1 });
  pointAtStub(stub.url);
  vi.stubEnv('COMPATIBLE_PRICE', '0.2/0.6');
  vi.stubEnv('COMPATIBLE_STRUCTURED_OUTPUTS', undefined);
  await ensureTestUser(userId);
});

beforeEach(() => {
  stub.reset();
  mockAnswers.length = 0;
});

afterAll(async () => {
  await stub?.stop();
  await prisma.$disconnect();
  await db().$disconnect();
});

const stubVision = async (): Promise<ModelSpec> => (await findModel('compatible:stub-vision'))!;
const mockSpec = async (): Promise<ModelSpec> => ({ ...(await stubVision()), id: 'compatible:mock', name: 'mock', label: 'Mock' });

const unique = (question: string) => `${question} #${randomUUID().slice(0, 8)}`;
const modelCalls = () => stub.requests.filter((r) => r.method === 'POST' && r.path === '/v1/chat/completions');

/** Images of their own colour, so bytes (and cache keys) are shared only where a test means it. */
const colours = ['#d9480f', '#2b8a3e', '#1864ab', '#862e9c', '#f08c00'];
const imageBytes = (i: number) => sharp({ create: { width: 96, height: 64, channels: 3, background: colours[i % colours.length] } }).jpeg().toBuffer();
const upload = async (count: number): Promise<UploadedImage[]> =>
  Promise.all(Array.from({ length: count }, async (_, i) => ingestImage(userId, await imageBytes(i), `photo-${i + 1}.jpg`)));

/** What the chat route does for a comparison: the question stored with its marker, then compareStream. */
async function compare(opts: { question: string; images?: UploadedImage[]; model?: ModelSpec; bypassCache?: boolean }) {
  const images = opts.images ?? (await upload(3));
  const conversationId = randomUUID();
  const spec = opts.model ?? (await stubVision());
  const parts: ChatMessage['parts'] = [
    ...images.map((m) => ({ type: 'file' as const, mediaType: m.mediaType, url: mediaUrl(m.id), filename: m.filename })),
    { type: 'text', text: opts.question },
    { type: 'data-compare', data: {} },
  ];
  await saveQuestion({ userId, conversationId, newConversation: { title: 'test', modelId: spec.id }, message: { id: randomUUID(), parts }, mediaIds: images.map((m) => m.id) });
  const [turn] = await loadTurns(await conversationMessages(conversationId));
  const slot = claimAnswer(conversationId)!;
  const answerId = randomUUID();
  const { stream } = await compareStream({ conversationId, answerId, model: spec, detail: 'auto', turn, bypassCache: opts.bypassCache ?? false, slot });
  return { conversationId, answerId, stream, images };
}

async function readAll(stream: ReadableStream<Chunk>): Promise<Chunk[]> {
  const chunks: Chunk[] = [];
  const reader = stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
  return chunks;
}

async function settled(answerId: string): Promise<Message> {
  return vi.waitFor(
    async () => {
      const row = await prisma.message.findUnique({ where: { id: answerId } });
      if (!row || row.status === 'streaming') throw new Error('still streaming');
      return row;
    },
    { timeout: 10_000, interval: 50 },
  );
}

async function compareAndSettle(opts: Parameters<typeof compare>[0]) {
  const asked = await compare(opts);
  const chunks = await readAll(asked.stream);
  return { ...asked, chunks, row: await settled(asked.answerId) };
}

const comparisonStates = (chunks: Chunk[]) => chunks.flatMap((c) => (c.type === 'data-comparison' ? [c.data as ComparisonData] : []));

/** What the stub answers for `count` images, as the table's complete data part. */
const expectedComparison = (question: string, count: number) => comparisonSchema.parse(stubJson(stubSchema(), question, count));
const stubSchema = () => (modelCalls()[0].body as { response_format: { json_schema: { schema: never } } }).response_format.json_schema.schema;

describe('compareStream with the stub model', () => {
  it('streams a growing table, then the complete comparison; stores it as a data part with usage and caches it', async () => {
    const question = unique('Compare these photos');
    const { chunks, row, conversationId } = await compareAndSettle({ question });

    expect(modelCalls()).toHaveLength(1);
    const call = modelCalls()[0];
    expect(call.imageCount).toBe(3);
    expect((call.body as { response_format: { type: string } }).response_format.type).toBe('json_schema');

    const states = comparisonStates(chunks);
    const streaming = states.filter((s) => s.state === 'streaming');
    expect(streaming.length).toBeGreaterThan(5);
    // The table fills in: rows arrive one after another, never more than there will be.
    const rowCounts = streaming.map((s) => (s.state === 'streaming' ? s.differences.length : 0));
    expect(rowCounts[0]).toBe(0);
    expect(rowCounts.at(-1)).toBe(3);
    expect([...rowCounts].sort((a, b) => a - b)).toEqual(rowCounts);
    const expected = expectedComparison(question, 3);
    expect(states.at(-1)).toEqual({ state: 'complete', ...expected });
    expect(expected.differences[0].values).toEqual(['Stub values 1.1', 'Stub values 1.2', 'Stub values 1.3']);
    expect(expected.recommendation).toBeNull();
    // One part, updated in place.
    expect(new Set(chunks.flatMap((c) => (c.type === 'data-comparison' ? [c.id] : [])))).toEqual(new Set(['comparison']));
    expect(chunks.some((c) => c.type === 'text-delta')).toBe(false);

    const finish = chunks.find((c) => c.type === 'finish');
    expect(finish).toMatchObject({ messageMetadata: { status: 'complete', cached: false, modelId: 'compatible:stub-vision' } });
    expect(row).toMatchObject({ status: 'complete', cached: false, errorCode: null, conversationId });
    expect(row.inputTokens).toBeGreaterThan(0);
    expect(row.outputTokens).toBeGreaterThan(0);
    expect(row.costUsd).toBeCloseTo((row.inputTokens! * 0.2 + row.outputTokens! * 0.6) / 1e6, 12);
    expect(row.parts).toEqual([{ type: 'data-comparison', id: 'comparison', data: { state: 'complete', ...expected } }]);
    expect(isAnswering(conversationId)).toBe(false);

    const entry = await vi.waitFor(async () => (await prisma.cacheEntry.findMany({ where: { sourceConversationId: conversationId } }))[0] ?? Promise.reject(new Error('not cached yet')), { timeout: 5_000 });
    expect(JSON.parse(entry.text)).toEqual(expected);
  });

  it('replays the same images and question from the cache in a new conversation: complete at once, free, no model call', async () => {
    const question = unique('Compare the colours');
    const first = await compareAndSettle({ question, images: await upload(3) });
    const expected = expectedComparison(question, 3);
    await vi.waitFor(async () => expect(await prisma.cacheEntry.count({ where: { sourceConversationId: first.conversationId } })).toBe(1), { timeout: 5_000 });
    stub.reset();

    // The same bytes uploaded again: new media rows, the same content hashes.
    const second = await compareAndSettle({ question, images: await upload(3) });
    expect(modelCalls()).toHaveLength(0);
    expect(comparisonStates(second.chunks)).toEqual([{ state: 'complete', ...expected }]);
    expect(second.chunks.find((c) => c.type === 'finish')).toMatchObject({ messageMetadata: { cached: true, costUsd: 0, status: 'complete' } });
    expect(second.row).toMatchObject({ status: 'complete', cached: true, costUsd: 0 });
    expect(second.row.parts).toEqual(first.row.parts);

    // A different question, or one image fewer, is a new comparison.
    await compareAndSettle({ question: `${question}?`, images: await upload(3) });
    await compareAndSettle({ question, images: await upload(2) });
    expect(modelCalls()).toHaveLength(2);
  });

  it('recommends an image only when the question asks which one', async () => {
    const { chunks } = await compareAndSettle({ question: unique('Which one is the best photo?') });
    expect(comparisonStates(chunks).at(-1)).toMatchObject({ state: 'complete', recommendation: { choice: 1, reason: 'Stub reason' } });
  });

  it('regenerating (bypassCache) compares again with the model', async () => {
    const question = unique('Compare again');
    const images = await upload(2);
    await compareAndSettle({ question, images });
    const again = await compareAndSettle({ question, images: await upload(2), bypassCache: true });
    expect(modelCalls()).toHaveLength(2);
    expect(again.row).toMatchObject({ status: 'complete', cached: false });
  });

  it('[json:brokenx1]: the malformed answer is retried, the table told to start over, and the second answer completes', async () => {
    const question = unique('Compare [json:brokenx1]');
    const { chunks, row, conversationId } = await compareAndSettle({ question });
    expect(modelCalls()).toHaveLength(2);
    const states = comparisonStates(chunks).map((s) => s.state);
    const restart = states.indexOf('retrying');
    expect(restart).toBeGreaterThan(0);
    expect(states.slice(0, restart).every((s) => s === 'streaming')).toBe(true);
    expect(comparisonStates(chunks)[restart]).toEqual({ state: 'retrying', attempt: 2 });
    expect(states.at(-1)).toBe('complete');
    expect(chunks.some((c) => c.type === 'error')).toBe(false);
    expect(row.status).toBe('complete');
    // Both attempts were paid for.
    const sent = modelCalls().map((call) => promptTokens((call.body as { messages: never[] }).messages, call.imageCount));
    expect(row.inputTokens).toBe(sent[0] + sent[1]);
    await vi.waitFor(async () => expect(await prisma.cacheEntry.count({ where: { sourceConversationId: conversationId } })).toBe(1), { timeout: 5_000 });
  });

  it('[json:broken]: malformed twice is an error — the table is cleared, nothing of it is stored or cached', async () => {
    const question = unique('Compare [json:broken]');
    const { chunks, row, conversationId } = await compareAndSettle({ question });
    expect(modelCalls()).toHaveLength(COMPARE_ATTEMPTS);
    const states = comparisonStates(chunks);
    // Partial rows were shown while the broken JSON still parsed, then withdrawn.
    expect(states.some((s) => s.state === 'streaming' && s.similarities.length > 0)).toBe(true);
    expect(states.at(-1)).toEqual({ state: 'error' });
    expect(states.some((s) => s.state === 'complete')).toBe(false);
    expect(chunks.at(-1)).toEqual({ type: 'error', errorText: BROKEN_TWICE });
    expect(row).toMatchObject({ status: 'error', errorCode: BROKEN_TWICE, cached: false });
    expect(row.parts).toEqual([]);
    // What the failed attempts cost is still recorded.
    expect(row.inputTokens).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await prisma.cacheEntry.count({ where: { sourceConversationId: conversationId } })).toBe(0);
    expect(isAnswering(conversationId)).toBe(false);
  });

  it('a model failure (HTTP 500) is not retried as malformed: one call, a stored error', async () => {
    const { chunks, row } = await compareAndSettle({ question: unique('Compare [fail:500]') });
    expect(modelCalls()).toHaveLength(1);
    expect(chunks.at(-1)).toEqual({ type: 'error', errorText: 'The model server failed (HTTP 500). Try again, or pick another model.' });
    expect(row).toMatchObject({ status: 'error', parts: [] });
  });

  it('stopped mid-table: stored as stopped without the half-filled table, nothing cached', async () => {
    const question = unique('Compare slowly [slow]');
    const { stream, answerId, conversationId } = await compare({ question });
    const reader = stream.getReader();
    for (let seen = 0; seen < 3; ) {
      const next = await reader.read();
      if (next.done) throw new Error('ended before it could be stopped');
      if (next.value.type === 'data-comparison') seen++;
    }
    expect(stopAnswer(conversationId)).toBe(true);
    const rest: Chunk[] = [];
    for (let next = await reader.read(); !next.done; next = await reader.read()) rest.push(next.value);
    expect(rest.at(-1)).toEqual({ type: 'abort' });
    const row = await settled(answerId);
    expect(row).toMatchObject({ status: 'stopped', parts: [] });
    expect(await prisma.cacheEntry.count({ where: { sourceConversationId: conversationId } })).toBe(0);
  });
});

describe('compareStream: well-formed JSON that does not fit the images (mock model)', () => {
  const fitting = { similarities: ['Both outdoors'], differences: [{ aspect: 'Colour', values: ['orange', 'green'] }], recommendation: null };

  it('a difference with the wrong number of values is malformed: retried, and the second answer is used', async () => {
    mockAnswers.push(
      JSON.stringify({ ...fitting, differences: [{ aspect: 'Colour', values: ['orange', 'green', 'blue'] }] }),
      JSON.stringify(fitting),
    );
    const { chunks, row } = await compareAndSettle({ question: unique('Compare'), images: await upload(2), model: await mockSpec() });
    expect(mockAnswers).toHaveLength(0);
    expect(comparisonStates(chunks).map((s) => s.state)).toContain('retrying');
    expect(comparisonStates(chunks).at(-1)).toEqual({ state: 'complete', ...fitting });
    expect(row).toMatchObject({ status: 'complete', inputTokens: 200, outputTokens: 20 });
  });

  it('wrong counts twice, or a choice that is no image, end as the malformed error', async () => {
    mockAnswers.push(
      JSON.stringify({ ...fitting, differences: [{ aspect: 'Colour', values: ['orange'] }] }),
      JSON.stringify({ ...fitting, recommendation: { choice: 3, reason: 'The third' } }),
    );
    const { chunks, row } = await compareAndSettle({ question: unique('Which one?'), images: await upload(2), model: await mockSpec() });
    expect(comparisonStates(chunks).at(-1)).toEqual({ state: 'error' });
    expect(row).toMatchObject({ status: 'error', errorCode: BROKEN_TWICE, parts: [], inputTokens: 200 });
  });

  it('JSON of the wrong shape (a schema violation) is malformed too', async () => {
    mockAnswers.push(JSON.stringify({ similarities: 'all blue', differences: [] }), JSON.stringify(fitting));
    const { row } = await compareAndSettle({ question: unique('Compare'), images: await upload(2), model: await mockSpec() });
    expect(row.status).toBe('complete');
    expect(mockAnswers).toHaveLength(0);
  });
});
