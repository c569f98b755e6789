/**
 * tiledAnswerStream against the real database, local blob storage, real sharp and the stub model
 * over HTTP: one call per tile, then the answer from the whole image plus the tiles' notes; what is
 * cached, stored and counted. The AI SDK's mock model stands in where the stub cannot fail one tile
 * among several.
 */
import { randomUUID } from 'node:crypto';
import { APICallError, type LanguageModelV4CallOptions } from '@ai-sdk/provider';
import { simulateReadableStream } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { promptTokens, startStubModel, stubAnswer, type RecordedRequest, type StubModel } from '@/e2e/stub-model/server';
import { imageBudgetFor } from '@/lib/ai/budget';
import type { ModelSpec } from '@/lib/ai/catalog';
import { findModel } from '@/lib/ai/registry';
import { claimAnswer, isAnswering, stopAnswer } from '@/lib/chat/active';
import type { Chunk } from '@/lib/chat/answer';
import { loadTurns } from '@/lib/chat/conversation-input';
import { TILE_CALLS_AT_ONCE, tiledAnswerStream } from '@/lib/chat/tiled-answer';
import { mediaUrl, type ChatMessage, type TileProgress } from '@/lib/chat/types';
import { db } from '@/lib/db/client';
import { conversationMessages, saveQuestion } from '@/lib/db/messages';
import type { Message } from '@/lib/generated/prisma/client';
import { modelImageSize } from '@/lib/media/resize';
import { planTiles } from '@/lib/media/tile-plan';
import { ingestImage, type UploadedImage } from '@/lib/uploads/image';
import { useLocalDataDir } from '@/tests/support/data-dir';
import { testPrisma } from '@/tests/support/db';
import { pointAtStub } from '@/tests/support/stub-env';
import { ensureTestUser } from '@/tests/support/users';

/**
 * Tile notes: part 3 fails (HTTP 503) soon after it is asked for, every other part takes long enough
 * to be in flight then, and gives up when it is aborted, as an HTTP call does.
 */
const mockGenerate = vi.fn(async (options: LanguageModelV4CallOptions) => {
  if (JSON.stringify(options.prompt).includes('This is part 3 of')) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    throw new APICallError({ message: 'mock tile failure', url: 'http://mock/v1/chat/completions', requestBodyValues: {}, statusCode: 503 });
  }
  await new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, 1_000);
    options.abortSignal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(options.abortSignal!.reason);
    });
  });
  return {
    content: [{ type: 'text' as const, text: 'A mock note' }],
    finishReason: { unified: 'stop' as const, raw: 'stop' },
    usage: { inputTokens: { total: 100, noCache: 100, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 10, text: 10, reasoning: 0 } },
    warnings: [],
  };
});
const mockStream = vi.fn(async () => ({
  stream: simulateReadableStream({
    chunks: [
      { type: 'text-start' as const, id: '1' },
      { type: 'text-delta' as const, id: '1', delta: 'A mock answer' },
      { type: 'text-end' as const, id: '1' },
      {
        type: 'finish' as const,
        finishReason: { unified: 'stop' as const, raw: 'stop' },
        usage: { inputTokens: { total: 100, noCache: 100, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 10, text: 10, reasoning: 0 } },
      },
    ],
  }),
}));
const mockModel = new MockLanguageModelV4({ doGenerate: mockGenerate, doStream: mockStream });
vi.mock('@/lib/ai/providers', async (importOriginal) => {
  const original = await importOriginal<typeof import('@/lib/ai/providers')>();
  return { ...original, languageModel: (spec: ModelSpec) => (spec.name === 'mock' ? mockModel : original.languageModel(spec)) };
});

const HTTP_500_MESSAGE = 'The model server failed (HTTP 500). Try again, or pick another model.';

let stub: StubModel;
const prisma = testPrisma();
const userId = `tiles-test-${randomUUID()}`;

useLocalDataDir('tiles-test');

beforeAll(async () => {
  stub = await startStubModel({ deltaDelayMs: 1 });
  pointAtStub(stub.url);
  vi.stubEnv('COMPATIBLE_PRICE', '0.2/0.6');
  vi.stubEnv('COMPATIBLE_MAX_PIXELS', undefined);
  await ensureTestUser(userId);
});

beforeEach(() => {
  stub.reset();
  mockGenerate.mockClear();
  mockStream.mockClear();
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
const isFinal = (r: RecordedRequest) => (r.body as { stream?: boolean }).stream === true;
const userText = (r: RecordedRequest) => {
  const content = (r.body as { messages: { role: string; content: unknown }[] }).messages.at(-1)!.content;
  return typeof content === 'string' ? content : (content as { type: string; text?: string }[]).flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n');
};

/** A 1080 × 4000 screenshot without transparency: five tiles at the stub's budget. Its shade makes its bytes (and cache keys) its own. */
const WIDTH = 1080;
const HEIGHT = 4000;
async function screenshot(shade = 0): Promise<UploadedImage> {
  const bands = Array.from({ length: 20 }, (_, i) => ({
    input: { create: { width: WIDTH, height: 40, channels: 3 as const, background: { r: 40 + shade, g: 60 + i * 8, b: 90 } } },
    left: 0,
    top: i * 200,
  }));
  const bytes = await sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, background: '#ffffff' } }).composite(bands).removeAlpha().png().toBuffer();
  return ingestImage(userId, bytes, 'long-screenshot.png');
}

let sharedImage: Promise<UploadedImage> | null = null;
const tallImage = () => (sharedImage ??= screenshot());

/** What the chat route does: the question stored with its data-tiles part, then tiledAnswerStream. */
async function ask(opts: { question: string; image?: UploadedImage; model?: ModelSpec; tiled?: boolean; bypassCache?: boolean }) {
  const image = opts.image ?? (await tallImage());
  const conversationId = randomUUID();
  const spec = opts.model ?? (await stubVision());
  const parts: ChatMessage['parts'] = [
    { type: 'file', mediaType: image.mediaType, url: mediaUrl(image.id), filename: image.filename },
    { type: 'text', text: opts.question },
    { type: 'data-tiles', data: { mediaIds: [image.id] } },
  ];
  await saveQuestion({ userId, conversationId, newConversation: { title: 'test', modelId: spec.id }, message: { id: randomUUID(), parts }, mediaIds: [image.id] });
  const turns = await loadTurns(await conversationMessages(conversationId));
  const slot = claimAnswer(conversationId)!;
  const answerId = randomUUID();
  const { stream } = await tiledAnswerStream({ conversationId, answerId, model: spec, detail: 'auto', turns, tiled: [image.id], bypassCache: opts.bypassCache ?? false, slot });
  return { conversationId, answerId, stream };
}

async function readAll(stream: ReadableStream<Chunk>): Promise<Chunk[]> {
  const chunks: Chunk[] = [];
  const reader = stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
  return chunks;
}

/** The stored answer once it is final and its slot released (released just after the row is written). */
async function settled(answerId: string, conversationId: string): Promise<Message> {
  return vi.waitFor(
    async () => {
      const row = await prisma.message.findUnique({ where: { id: answerId } });
      if (!row || row.status === 'streaming' || isAnswering(conversationId)) throw new Error('still answering');
      return row;
    },
    { timeout: 15_000, interval: 50 },
  );
}

async function askAndSettle(opts: Parameters<typeof ask>[0]) {
  const asked = await ask(opts);
  const chunks = await readAll(asked.stream);
  return { ...asked, chunks, row: await settled(asked.answerId, asked.conversationId) };
}

const progressOf = (chunks: Chunk[]) => chunks.flatMap((c) => (c.type === 'data-tile-progress' ? [{ ...(c.data as TileProgress), transient: c.transient }] : []));
const textOf = (chunks: Chunk[]) => chunks.flatMap((c) => (c.type === 'text-delta' ? [c.delta] : [])).join('');
const budget = async () => imageBudgetFor(await stubVision(), 'auto');

describe('tiledAnswerStream with the stub model', () => {
  it('reads each tile at full resolution, then answers from the whole image plus every note; stores and caches the answer with all the calls counted', async () => {
    const plan = planTiles({ width: WIDTH, height: HEIGHT }, await budget())!;
    expect(plan.tiles).toHaveLength(5);
    const question = unique('What does the small print at the bottom say?');
    const { chunks, row, conversationId } = await askAndSettle({ question });

    const calls = modelCalls();
    expect(calls).toHaveLength(6);
    const tileCalls = calls.filter((c) => !isFinal(c));
    const [final] = calls.filter(isFinal);
    expect(tileCalls).toHaveLength(5);
    // The final call comes after every tile has been read.
    expect(calls.at(-1)).toBe(final);

    // Each tile call: one image, the tile at the size the model reads (1080 rounds up to 39 patches of 28).
    const tileSize = modelImageSize(plan.tiles[0].width, plan.tiles[0].height, await budget());
    expect(tileSize).toEqual({ width: 1092, height: 896 });
    for (const call of tileCalls) {
      expect(call.imageCount).toBe(1);
      expect(call.images[0]).toMatchObject({ mediaType: 'image/jpeg', width: 1092, height: 896, hasExif: false });
      expect(userText(call)).toContain(`The question about the whole image: ${question}`);
    }
    const partsAsked = tileCalls.map((c) => Number(/This is part (\d) of 5 of a larger image/.exec(userText(c))![1])).sort();
    expect(partsAsked).toEqual([1, 2, 3, 4, 5]);
    expect(userText(tileCalls.find((c) => userText(c).includes('part 5 of 5'))!)).toContain('row 5 of 5, column 1 of 1; pixels 0–1080 across, 3115–4000 down');

    // The final call: the whole image, downscaled as any image is, and every tile's note before the question.
    expect(final.imageCount).toBe(1);
    expect(modelImageSize(WIDTH, HEIGHT, await budget())).toEqual({ width: 504, height: 1904 });
    expect(final.images[0]).toMatchObject({ mediaType: 'image/jpeg', width: 504, height: 1904 });
    const finalText = userText(final);
    expect(finalText).toContain('Fine detail of image 1 ("long-screenshot.png", 1080 × 4000): the copy above is downscaled, so it was also read at full resolution in 5 overlapping parts.');
    for (const call of tileCalls) {
      const part = /This is part (\d) of 5/.exec(userText(call))![1];
      const note = stubAnswer(userText(call), 1, 'stub-vision');
      expect(finalText).toContain(`[Part ${part}: row ${part} of 5, column 1 of 1;`);
      expect(finalText).toContain(note);
    }
    expect(finalText.endsWith(question)).toBe(true);

    // Progress: transient, from 0 to 5 of 5, one step per tile.
    expect(progressOf(chunks)).toEqual([0, 1, 2, 3, 4, 5].map((read) => ({ read, total: 5, transient: true })));
    expect(chunks[0]).toMatchObject({ type: 'start' });
    expect(chunks.filter((c) => c.type === 'start')).toHaveLength(1);
    expect(textOf(chunks)).toBe(stubAnswer(finalText, 1, 'stub-vision'));

    // Stored: the answer's text only (no progress), every call's tokens and their cost.
    const sentTokens = calls.map((c) => promptTokens((c.body as { messages: never[] }).messages, c.imageCount));
    expect(row).toMatchObject({ status: 'complete', cached: false, errorCode: null });
    expect(row.parts).toEqual([{ type: 'text', text: stubAnswer(finalText, 1, 'stub-vision') }]);
    expect(row.inputTokens).toBe(sentTokens.reduce((a, b) => a + b, 0));
    expect(row.costUsd).toBeCloseTo((row.inputTokens! * 0.2 + row.outputTokens! * 0.6) / 1e6, 12);
    expect(chunks.find((c) => c.type === 'finish')).toMatchObject({ messageMetadata: { status: 'complete', inputTokens: row.inputTokens, outputTokens: row.outputTokens } });
    await vi.waitFor(async () => expect(await prisma.cacheEntry.count({ where: { sourceConversationId: conversationId } })).toBe(1), { timeout: 5_000 });
  });

  it('answers the same question about the same image from the cache: no calls, no progress, free', async () => {
    const question = unique('Which version number is in the footer?');
    const first = await askAndSettle({ question });
    expect(modelCalls()).toHaveLength(6);
    stub.reset();

    // The same bytes uploaded again: a new media row, the same content.
    const second = await askAndSettle({ question, image: await screenshot() });
    expect(modelCalls()).toHaveLength(0);
    expect(progressOf(second.chunks)).toEqual([]);
    expect(textOf(second.chunks)).toBe(textOf(first.chunks));
    expect(second.row).toMatchObject({ status: 'complete', cached: true, costUsd: 0 });
  });

  it('regenerating writes a new answer from the tile notes already read: one call, no tile read again', async () => {
    const question = unique('List every heading');
    await askAndSettle({ question });
    stub.reset();
    const again = await askAndSettle({ question, bypassCache: true });
    expect(modelCalls()).toHaveLength(1);
    expect(isFinal(modelCalls()[0])).toBe(true);
    expect(userText(modelCalls()[0])).toContain('in 5 overlapping parts');
    // Notes from the cache cost nothing now and show no tile progress being made, only that it is there.
    expect(progressOf(again.chunks).at(-1)).toEqual({ read: 5, total: 5, transient: true });
    expect(again.row).toMatchObject({ status: 'complete', cached: false });
    expect(again.row.inputTokens).toBe(promptTokens((modelCalls()[0].body as { messages: never[] }).messages, 1));
  });

  it('a tile the model fails on fails the answer: a stored error naming the part, no final call, nothing cached', async () => {
    const question = unique('What is the total? [fail:500]');
    const { chunks, row, conversationId } = await askAndSettle({ question });
    const calls = modelCalls();
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(calls.length).toBeLessThanOrEqual(TILE_CALLS_AT_ONCE);
    expect(calls.some(isFinal)).toBe(false);
    const error = chunks.at(-1);
    expect(error).toMatchObject({ type: 'error' });
    const errorText = (error as { errorText: string }).errorText;
    expect(errorText).toMatch(new RegExp(`^Reading part [1-4] of 5 of "long-screenshot.png" failed, so there is no answer\\. ${HTTP_500_MESSAGE.replace(/[().]/g, '\\$&')}$`));
    expect(textOf(chunks)).toBe('');
    expect(row).toMatchObject({ status: 'error', errorCode: errorText, parts: [], cached: false });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await prisma.cacheEntry.count({ where: { sourceConversationId: conversationId } })).toBe(0);
  });

  it('an image that does not gain from tiles (a normal photo) is answered as usual: one call', async () => {
    const photo = await ingestImage(userId, await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#3a7bd5' } }).jpeg().toBuffer(), 'photo.jpg');
    const { row, chunks } = await askAndSettle({ question: unique('What colour is it?'), image: photo });
    expect(modelCalls()).toHaveLength(1);
    expect(progressOf(chunks)).toEqual([]);
    expect(userText(modelCalls()[0])).not.toContain('Fine detail');
    expect(row.status).toBe('complete');
  });

  it('stopped while tiles are read: stored as stopped with what the tiles took, no final call, nothing cached', async () => {
    stub.configure({ callDelayMs: 400 });
    const { stream, answerId, conversationId } = await ask({ question: unique('Read it all slowly'), image: await screenshot(7) });
    const reader = stream.getReader();
    for (;;) {
      const next = await reader.read();
      if (next.done) throw new Error('ended before it could be stopped');
      if (next.value.type === 'data-tile-progress' && (next.value.data as TileProgress).read === 1) break;
    }
    expect(stopAnswer(conversationId)).toBe(true);
    const rest: Chunk[] = [];
    for (let next = await reader.read(); !next.done; next = await reader.read()) rest.push(next.value);
    expect(rest.at(-1)).toEqual({ type: 'abort' });
    const row = await settled(answerId, conversationId);
    expect(row).toMatchObject({ status: 'stopped', parts: [] });
    expect(row.inputTokens).toBeGreaterThan(0);
    expect(modelCalls().some(isFinal)).toBe(false);
    expect(modelCalls().length).toBeLessThan(5 + 1);
    expect(await prisma.cacheEntry.count({ where: { sourceConversationId: conversationId } })).toBe(0);
  });
});

describe('tiledAnswerStream: one tile failing among several (mock model)', () => {
  it('aborts the tiles in flight, asks for no more, names the failing part, and never asks for the answer', async () => {
    const started = Date.now();
    const { chunks, row } = await askAndSettle({ question: unique('Summarise it'), model: await mockSpec(), image: await screenshot(3) });
    // The other parts were given up at once, not waited for (each would take a second).
    expect(Date.now() - started).toBeLessThan(900);
    // Parts 1–4 were taken at once (some may still have been waiting for the shared limiter); part 5 never.
    const asked = mockGenerate.mock.calls.map(([options]) => Number(/This is part (\d) of 5/.exec(JSON.stringify(options.prompt))![1]));
    expect(asked).toContain(3);
    expect(asked).not.toContain(5);
    expect(mockStream).not.toHaveBeenCalled();
    const errorText = 'Reading part 3 of 5 of "long-screenshot.png" failed, so there is no answer. The model server failed (HTTP 503). Try again, or pick another model.';
    expect(chunks.at(-1)).toEqual({ type: 'error', errorText });
    expect(chunks.filter((c) => c.type === 'error')).toHaveLength(1);
    expect(progressOf(chunks)).toEqual([{ read: 0, total: 5, transient: true }]);
    // No part was read, so nothing was spent (the calls in flight were abandoned).
    expect(row).toMatchObject({ status: 'error', errorCode: errorText, parts: [], inputTokens: null, outputTokens: null, costUsd: null });
  });
});
