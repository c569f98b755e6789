/**
 * answerStream against the real database, real blob storage (local, in a temp DATA_DIR) and the
 * stub model over HTTP: what the reader sees, what is stored afterwards, when the cache answers
 * instead of the model, and what the model was actually sent.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { UIMessageChunk } from 'ai';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { describeImageUrl } from '@/e2e/stub-model/image-info';
import { promptTokens, REFUSAL, splitDeltas, startStubModel, stubAnswer, type StubModel } from '@/e2e/stub-model/server';
import type { ModelSpec } from '@/lib/ai/catalog';
import { findModel } from '@/lib/ai/registry';
import { claimAnswer, isAnswering, stopAnswer } from '@/lib/chat/active';
import { answerStream, EMPTY_ANSWER, INSTRUCTIONS } from '@/lib/chat/answer';
import { imageBudgetFor } from '@/lib/ai/budget';
import { answerCacheKey } from '@/lib/chat/cache-key';
import { cacheTurns, loadTurns } from '@/lib/chat/conversation-input';
import { mediaUrl, type ChatMessage, type MessageMeta } from '@/lib/chat/types';
import { db } from '@/lib/db/client';
import { conversationMessages, saveQuestion } from '@/lib/db/messages';
import { ensureTestUser } from '@/tests/support/users';
import type { Message } from '@/lib/generated/prisma/client';
import type { Detail } from '@/lib/media/types';
import { ingestImage, type UploadedImage } from '@/lib/uploads/image';
import { testPrisma } from '@/tests/support/db';
import { photoWithGps } from '@/tests/support/images';

type Chunk = UIMessageChunk<MessageMeta>;

const QWEN_BUDGET = 1280 * 28 * 28;
const HTTP_500_MESSAGE = 'The model server failed (HTTP 500). Try again, or pick another model.';

let stub: StubModel;
let dataDir: string;
let photo: Buffer;
const prisma = testPrisma();
const userId = `answer-test-${randomUUID()}`;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-answer-test-'));
  stub = await startStubModel({ deltaDelayMs: 1 });
  // Before the first getBlobStore() call, which memoizes the store (and its root) for the file.
  vi.stubEnv('DATA_DIR', dataDir);
  vi.stubEnv('BLOB_READ_WRITE_TOKEN', undefined);
  vi.stubEnv('OPENAI_API_KEY', undefined);
  vi.stubEnv('OPENAI_COMPATIBLE_BASE_URL', stub.url);
  vi.stubEnv('OPENAI_COMPATIBLE_MODELS', 'stub-vision,stub-vision-2,stub-broken');
  vi.stubEnv('OPENAI_COMPATIBLE_API_KEY', 'unused');
  vi.stubEnv('COMPATIBLE_PRICE', '0.2/0.6');
  vi.stubEnv('COMPATIBLE_MAX_PIXELS', undefined);
  vi.stubEnv('OLLAMA_BASE_URL', 'http://127.0.0.1:9');
  vi.stubEnv('FALLBACK_MODELS', undefined);
  vi.stubEnv('DEFAULT_MODEL', undefined);
  vi.stubEnv('MAX_IMAGE_BYTES', undefined);
  vi.stubEnv('MAX_IMAGE_PIXELS', undefined);
  photo = await photoWithGps();
  await ensureTestUser(userId);
});

beforeEach(() => stub.reset());

afterAll(async () => {
  vi.unstubAllEnvs();
  await stub?.stop();
  await prisma.$disconnect();
  await db().$disconnect();
  await rm(dataDir, { recursive: true, force: true });
});

async function model(id: string): Promise<ModelSpec> {
  const spec = await findModel(id);
  if (!spec) throw new Error(`model ${id} is not available; check the env set in beforeAll`);
  return spec;
}

/** A question no other test (or earlier run on the same server) asks, so cache entries never collide. */
const unique = (question: string) => `${question} #${randomUUID().slice(0, 8)}`;

const modelCalls = () => stub.requests.filter((r) => r.method === 'POST' && r.path === '/v1/chat/completions');

interface Asked {
  conversationId: string;
  answerId: string;
  stream: ReadableStream<Chunk>;
  /** The key this answer is cached under, computed as answer.ts should (see cache-key.test.ts). */
  cacheKey: string;
}

/** What the chat route does for one question: store it, load the turns, start the answer. */
async function ask(opts: {
  question: string;
  media?: UploadedImage[];
  conversationId?: string;
  /** Add to an existing conversation (conversationId) instead of starting one. */
  continuing?: boolean;
  model?: ModelSpec;
  detail?: Detail;
  bypassCache?: boolean;
}): Promise<Asked> {
  const spec = opts.model ?? (await model('compatible:stub-vision'));
  const conversationId = opts.conversationId ?? randomUUID();
  const media = opts.media ?? [];
  const parts: ChatMessage['parts'] = [
    ...media.map((m) => ({ type: 'file' as const, mediaType: m.mediaType, url: mediaUrl(m.id), filename: m.filename })),
    ...(opts.question ? [{ type: 'text' as const, text: opts.question }] : []),
  ];
  await saveQuestion({
    userId,
    conversationId,
    newConversation: opts.continuing ? null : { title: 'test', modelId: spec.id },
    message: { id: randomUUID(), parts },
    mediaIds: media.map((m) => m.id),
  });
  const turns = await loadTurns(await conversationMessages(conversationId));
  const answerId = randomUUID();
  const detail = opts.detail ?? 'auto';
  const slot = claimAnswer(conversationId);
  if (!slot) throw new Error(`an answer is already being written in ${conversationId}`);
  const { stream } = await answerStream({ conversationId, answerId, model: spec, detail, turns, bypassCache: opts.bypassCache ?? false, slot });
  const cacheKey = answerCacheKey({ modelId: spec.id, instructions: INSTRUCTIONS, budget: imageBudgetFor(spec, detail), turns: cacheTurns(turns) });
  return { conversationId, answerId, stream, cacheKey };
}

async function readAll(stream: ReadableStream<Chunk>): Promise<{ chunks: Chunk[]; text: string }> {
  const chunks: Chunk[] = [];
  const reader = stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
  return { chunks, text: textOf(chunks) };
}

const textOf = (chunks: Chunk[]) => chunks.map((c) => (c.type === 'text-delta' ? c.delta : '')).join('');

/** The stored answer once it has left 'streaming' (it is written in the background). */
async function settled(answerId: string, timeoutMs = 10_000): Promise<Message> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await prisma.message.findUnique({ where: { id: answerId } });
    if (row && row.status !== 'streaming') return row;
    if (Date.now() > deadline) throw new Error(`answer ${answerId} still ${row?.status ?? 'missing'} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The conversation's answer slot is free again: released right after the row is written, which `settled` can see a moment earlier. */
async function expectReleased(conversationId: string) {
  await vi.waitFor(() => expect(isAnswering(conversationId)).toBe(false), { timeout: 1_000 });
}

/** The answer's text as stored: finishAnswer writes it as one text part. */
function storedText(row: Message): string {
  return (row.parts as { type: string; text?: string }[]).map((p) => (p.type === 'text' ? p.text : '')).join('');
}

/** Cache entries whose text echoes the question, i.e. the ones written for it. */
const cacheEntriesFor = (question: string) => prisma.cacheEntry.findMany({ where: { text: { contains: question } } });

/** The cache entry is written just after the row is finished, so it may trail `settled` by a moment. */
async function cachedEntryFor(question: string) {
  return vi.waitFor(
    async () => {
      const entries = await cacheEntriesFor(question);
      expect(entries).toHaveLength(1);
      return entries[0];
    },
    { timeout: 5_000, interval: 50 },
  );
}

/**
 * For "nothing was cached": by key, since a partial answer need not contain the question, after
 * giving a wrongly written entry the time it would need to appear.
 */
async function noCacheEntryAt(cacheKey: string) {
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(await prisma.cacheEntry.findUnique({ where: { key: cacheKey } })).toBeNull();
}

/** Asks, reads to the end and waits until the answer is stored (and, when complete, cached). */
async function askAndSettle(opts: Parameters<typeof ask>[0]) {
  const asked = await ask(opts);
  const { chunks, text } = await readAll(asked.stream);
  const row = await settled(asked.answerId);
  return { ...asked, chunks, text, row };
}

async function upload(bytes = photo, filename = 'photo.jpg') {
  return ingestImage(userId, bytes, filename);
}

describe('answerStream: a live answer', () => {
  it('streams the model text and stores it complete with usage, cost and latency, then caches it', async () => {
    const question = unique('What is in this photo?');
    const image = await upload();
    const { chunks, text, row, conversationId, cacheKey } = await askAndSettle({ question, media: [image] });

    const expected = stubAnswer(question, 1, 'stub-vision');
    expect(text).toBe(expected);
    expect(modelCalls()).toHaveLength(1);
    const request = modelCalls()[0];
    expect(request.model).toBe('stub-vision');
    expect(request.status).toBe(200);

    const inputTokens = promptTokens((request.body as { messages: never[] }).messages, 1);
    const outputTokens = splitDeltas(expected).length;
    const finish = chunks.find((c) => c.type === 'finish');
    expect(finish).toMatchObject({ messageMetadata: { status: 'complete', cached: false, inputTokens, outputTokens } });

    expect(row).toMatchObject({
      role: 'assistant',
      conversationId,
      status: 'complete',
      modelId: 'compatible:stub-vision',
      detail: 'auto',
      inputTokens,
      outputTokens,
      cached: false,
      errorCode: null,
    });
    expect(storedText(row)).toBe(expected);
    expect(row.costUsd).toBeCloseTo((inputTokens * 0.2 + outputTokens * 0.6) / 1_000_000, 12);
    expect(row.latencyMs).toBeGreaterThan(0);
    await expectReleased(conversationId);

    const entry = await cachedEntryFor(question);
    expect(entry.key).toBe(cacheKey);
    expect(entry).toMatchObject({ modelId: 'compatible:stub-vision', text: expected, inputTokens, outputTokens, hits: 0 });
  });

  it('sends the model an upright, EXIF-free JPEG resized within the Qwen pixel budget', async () => {
    // The fixture itself carries EXIF (GPS), so a false below means it was stripped, not never there.
    const original = describeImageUrl(`data:image/jpeg;base64,${photo.toString('base64')}`);
    expect(original).toMatchObject({ width: 1600, height: 1200, hasExif: true });

    const question = unique('Where was this taken?');
    await askAndSettle({ question, media: [await upload()] });

    expect(modelCalls()).toHaveLength(1);
    const [sent] = modelCalls()[0].images;
    expect(modelCalls()[0].imageCount).toBe(1);
    expect(sent.mediaType).toBe('image/jpeg');
    expect(sent.hasExif).toBe(false);
    const { width = 0, height = 0 } = sent;
    expect(width * height).toBeLessThanOrEqual(QWEN_BUDGET);
    expect(width % 28).toBe(0);
    expect(height % 28).toBe(0);
    // Qwen's smart_resize of 1600 × 1200 under 1280 patches of 28 px.
    expect({ width, height }).toEqual({ width: 1148, height: 840 });
  });
});

describe('answerStream: the answer cache', () => {
  /** A complete, cached answer for the question about the photo, in a conversation of its own. */
  async function prime(question: string, opts: Partial<Parameters<typeof ask>[0]> = {}) {
    const primed = await askAndSettle({ question, media: [await upload()], ...opts });
    expect(primed.row.status).toBe('complete');
    await cachedEntryFor(question);
    stub.reset();
    return primed;
  }

  it('answers the same image bytes and question from the cache in a new conversation, without calling the model', async () => {
    const question = unique('Describe the colours.');
    const first = await prime(question);
    const firstImage = await prisma.media.findFirstOrThrow({ where: { conversationId: first.conversationId } });

    // Same bytes, uploaded again: a new Media row with the same content hash.
    const again = await upload(photo, 'same-photo-other-name.jpg');
    const againRow = await prisma.media.findUniqueOrThrow({ where: { id: again.id } });
    expect(again.id).not.toBe(firstImage.id);
    expect(againRow.sha256).toBe(firstImage.sha256);

    const second = await askAndSettle({ question, media: [again] });
    expect(second.conversationId).not.toBe(first.conversationId);
    expect(second.text).toBe(first.text);
    expect(modelCalls()).toHaveLength(0);
    expect(second.chunks.find((c) => c.type === 'finish')).toMatchObject({ messageMetadata: { cached: true, costUsd: 0 } });

    expect(second.row).toMatchObject({ status: 'complete', cached: true, costUsd: 0, modelId: 'compatible:stub-vision' });
    expect(storedText(second.row)).toBe(first.text);
    const [entry] = await cacheEntriesFor(question);
    expect(entry.hits).toBe(1);
    expect(entry.lastHitAt).not.toBeNull();
  });

  it('calls the model for a different question about the same image', async () => {
    const question = unique('Describe the colours.');
    await prime(question);
    const other = unique('Count the objects.');
    const { text, row } = await askAndSettle({ question: other, media: [await upload()] });
    expect(modelCalls()).toHaveLength(1);
    expect(text).toBe(stubAnswer(other, 1, 'stub-vision'));
    expect(row.cached).toBe(false);
    expect((await cacheEntriesFor(question))[0].hits).toBe(0);
  });

  it('calls the model for the same question to a different model', async () => {
    const question = unique('Describe the colours.');
    await prime(question);
    const { text, row } = await askAndSettle({ question, media: [await upload()], model: await model('compatible:stub-vision-2') });
    expect(modelCalls()).toHaveLength(1);
    expect(modelCalls()[0].model).toBe('stub-vision-2');
    expect(text).toBe(stubAnswer(question, 1, 'stub-vision-2'));
    expect(row).toMatchObject({ cached: false, modelId: 'compatible:stub-vision-2' });
  });

  it('calls the model when a different detail level changes what the model is sent', async () => {
    // Detail only matters for OpenAI-style sizing; a spec with that sizing on the stub's endpoint.
    const tiled: ModelSpec = { ...(await model('compatible:stub-vision')), imageSizing: { kind: 'openai-detail' } };
    const question = unique('Describe the colours.');
    await prime(question, { model: tiled, detail: 'low' });

    const { row } = await askAndSettle({ question, media: [await upload()], model: tiled, detail: 'high' });
    expect(modelCalls()).toHaveLength(1);
    expect(modelCalls()[0].images[0]).toMatchObject({ width: 1024, height: 768 });
    expect(row).toMatchObject({ cached: false, detail: 'high' });
  });

  it('shares the answer across detail levels when the model is sent the same pixels (pixel-budget models)', async () => {
    const question = unique('Describe the colours.');
    await prime(question, { detail: 'low' });
    const { row } = await askAndSettle({ question, media: [await upload()], detail: 'high' });
    expect(modelCalls()).toHaveLength(0);
    expect(row).toMatchObject({ cached: true, detail: 'high' });
  });

  it('calls the model when the same question comes after earlier context', async () => {
    const question = unique('Describe the colours.');
    await prime(question);

    const earlier = await askAndSettle({ question: unique('First, a warm-up question.') });
    expect(earlier.row.status).toBe('complete');
    const { text, row } = await askAndSettle({ question, media: [await upload()], conversationId: earlier.conversationId, continuing: true });
    expect(modelCalls()).toHaveLength(2);
    // The model saw the earlier exchange: two user turns and the earlier answer.
    const messages = (modelCalls()[1].body as { messages: { role: string }[] }).messages;
    expect(messages.filter((m) => m.role === 'user')).toHaveLength(2);
    expect(messages.filter((m) => m.role === 'assistant')).toHaveLength(1);
    expect(text).toBe(stubAnswer(question, 1, 'stub-vision'));
    expect(row.cached).toBe(false);
    expect((await cacheEntriesFor(question))[0].hits).toBe(0);
  });

  it('calls the model on regenerate (bypassCache) even though an entry exists, and leaves its hit count alone', async () => {
    const question = unique('Describe the colours.');
    await prime(question);
    const primedAt = (await cachedEntryFor(question)).createdAt;
    const { text, row } = await askAndSettle({ question, media: [await upload()], bypassCache: true });
    expect(modelCalls()).toHaveLength(1);
    expect(text).toBe(stubAnswer(question, 1, 'stub-vision'));
    expect(row).toMatchObject({ status: 'complete', cached: false });
    // Regenerate refreshes the entry with the new answer (storeCachedAnswer bumps createdAt).
    await vi.waitFor(async () => expect((await cachedEntryFor(question)).createdAt.getTime()).toBeGreaterThan(primedAt.getTime()), { timeout: 5_000 });
    expect((await cachedEntryFor(question)).hits).toBe(0);
  });
});

describe('answerStream: interrupted answers', () => {
  it('finishes and stores the whole answer when the reader disconnects after the first chunk', async () => {
    const question = unique('Tell me everything [slow]');
    const { stream, answerId, conversationId } = await ask({ question, media: [await upload()] });
    const reader = stream.getReader();
    let first = await reader.read();
    while (!first.done && first.value.type !== 'text-delta') first = await reader.read();
    expect(first.done).toBe(false);
    await reader.cancel();

    const row = await settled(answerId, 20_000);
    const expected = stubAnswer(question, 1, 'stub-vision');
    expect(row.status).toBe('complete');
    expect(storedText(row)).toBe(expected);
    expect(storedText(row).endsWith('```')).toBe(true);
    expect(modelCalls()[0].clientAborted).toBe(false);
    await expectReleased(conversationId);
    expect((await cachedEntryFor(question)).text).toBe(expected);
  });

  it('stops on stopAnswer: stores the partial text as stopped, caches nothing, hangs up on the model', async () => {
    const question = unique('Tell me everything [slow]');
    const { stream, answerId, conversationId, cacheKey } = await ask({ question, media: [await upload()] });
    const reader = stream.getReader();
    const seen: Chunk[] = [];
    while (seen.filter((c) => c.type === 'text-delta').length < 3) {
      const next = await reader.read();
      if (next.done) throw new Error('the answer ended before it could be stopped');
      seen.push(next.value);
    }
    expect(isAnswering(conversationId)).toBe(true);
    expect(stopAnswer(conversationId)).toBe(true);
    // The reader's side ends promptly too.
    for (let next = await reader.read(); !next.done; next = await reader.read()) seen.push(next.value);

    const row = await settled(answerId);
    const full = stubAnswer(question, 1, 'stub-vision');
    const text = storedText(row);
    expect(row.status).toBe('stopped');
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThan(full.length);
    expect(full.startsWith(text)).toBe(true);
    expect(text.startsWith(textOf(seen.slice(0, seen.findIndex((c) => c.type === 'text-delta') + 1)))).toBe(true);
    await noCacheEntryAt(cacheKey);
    await expectReleased(conversationId);
    expect(stopAnswer(conversationId)).toBe(false);
    await vi.waitFor(() => expect(modelCalls()[0].clientAborted).toBe(true), { timeout: 2_000 });
  });
});

describe('answerStream: model failures', () => {
  it('turns an HTTP 500 into an error chunk with the human message, stores status error, caches nothing', async () => {
    const question = unique('Break please [fail:500]');
    const { chunks, row, conversationId, cacheKey } = await askAndSettle({ question, media: [await upload()] });
    expect(chunks).toContainEqual(expect.objectContaining({ type: 'error', errorText: HTTP_500_MESSAGE }));
    expect(textOf(chunks)).toBe('');
    expect(row).toMatchObject({ status: 'error', errorCode: HTTP_500_MESSAGE, cached: false });
    expect(storedText(row)).toBe('');
    await noCacheEntryAt(cacheKey);
    expect(modelCalls()).toHaveLength(1);
    await expectReleased(conversationId);
  });

  it('stores an answer the model finished without writing as an error that says so, not an empty success', async () => {
    // A thinking model that ran out of tokens before it answered: reasoning, then nothing.
    stub.configure({ dialect: 'vllm' });
    const question = unique('Think forever [think:only]');
    const { chunks, row, cacheKey } = await askAndSettle({ question, media: [await upload()] });
    expect(textOf(chunks)).toBe('');
    expect(row).toMatchObject({ status: 'error', errorCode: EMPTY_ANSWER, cached: false });
    await noCacheEntryAt(cacheKey);
  });

  it.each(['openai', 'vllm', 'ollama', 'dashscope'] as const)('shows a refusal as %s sends it in words, as the answer', async (dialect) => {
    stub.configure({ dialect });
    const { chunks, row } = await askAndSettle({ question: unique('Do the forbidden thing [refuse]'), media: [await upload()] });
    expect(textOf(chunks)).toBe(REFUSAL);
    expect(row).toMatchObject({ status: 'complete' });
  });

  it('falls back to FALLBACK_MODELS when the chosen model fails, and labels the answer with the model that answered', async () => {
    vi.stubEnv('FALLBACK_MODELS', 'compatible:stub-vision');
    try {
      const question = unique('Which model answers?');
      const { text, row, chunks } = await askAndSettle({ question, media: [await upload()], model: await model('compatible:stub-broken') });
      expect(modelCalls().map((r) => [r.model, r.status])).toEqual([
        ['stub-broken', 500],
        ['stub-vision', 200],
      ]);
      expect(text).toBe(stubAnswer(question, 1, 'stub-vision'));
      expect(chunks.find((c) => c.type === 'finish')).toMatchObject({ messageMetadata: { modelId: 'compatible:stub-vision' } });
      expect(row).toMatchObject({ status: 'complete', modelId: 'compatible:stub-vision', errorCode: null });
    } finally {
      vi.stubEnv('FALLBACK_MODELS', undefined);
    }
  });

  // A fallback's answer is cached under the model that was asked; replaying it must credit the model that wrote it.
  it('labels a cached fallback answer with the model that wrote it', async () => {
    const question = unique('Which model answers?');
    vi.stubEnv('FALLBACK_MODELS', 'compatible:stub-vision');
    try {
      const live = await askAndSettle({ question, media: [await upload()], model: await model('compatible:stub-broken') });
      expect(live.row.modelId).toBe('compatible:stub-vision');
      expect((await cachedEntryFor(question)).modelId).toBe('compatible:stub-vision');
    } finally {
      vi.stubEnv('FALLBACK_MODELS', undefined);
    }
    stub.reset();
    const replay = await askAndSettle({ question, media: [await upload()], model: await model('compatible:stub-broken') });
    expect(modelCalls()).toHaveLength(0);
    expect(replay.row.cached).toBe(true);
    expect(replay.row.modelId).toBe('compatible:stub-vision');
  });

  /** A 2020 × 10 image: beyond Qwen's 200:1 limit when resized. */
  const sliver = () => sharp({ create: { width: 2020, height: 10, channels: 3, background: '#808080' } }).jpeg().toBuffer();

  it('ends as a stored, visible error (never stuck "streaming") when the image cannot be prepared for the model', async () => {
    // Uploads refuse such shapes now; a stored original that predates the rule still must not hang an answer.
    const unique64 = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#808080' } })
      .jpeg()
      .withExif({ IFD0: { ImageDescription: randomUUID() } })
      .toBuffer();
    const image = await upload(unique64, 'sliver.jpg');
    const media = await prisma.media.findUniqueOrThrow({ where: { id: image.id } });
    await writeFile(path.join(dataDir, 'blobs', ...media.originalKey.split('/')), await sliver());
    const question = unique('What is this line?');
    const { chunks, row, conversationId } = await askAndSettle({ question, media: [image] });
    const error = chunks.find((c) => c.type === 'error');
    expect(error).toMatchObject({ errorText: expect.stringContaining('more elongated than 200:1') });
    expect(row).toMatchObject({ status: 'error', errorCode: (error as { errorText: string }).errorText, cached: false });
    expect(storedText(row)).toBe('');
    expect(modelCalls()).toHaveLength(0);
    await expectReleased(conversationId);
  });

  it('ends as a stored error when an image original has gone missing from storage', async () => {
    // Unique bytes, so deleting this original cannot take one away from another test.
    const lonely = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 1, g: 2, b: 3 } } })
      .jpeg()
      .withExif({ IFD0: { ImageDescription: randomUUID() } })
      .toBuffer();
    const image = await upload(lonely, 'lonely.jpg');
    const media = await prisma.media.findUniqueOrThrow({ where: { id: image.id } });
    await rm(path.join(dataDir, 'blobs', ...media.originalKey.split('/')));

    const { chunks, row, conversationId } = await askAndSettle({ question: unique('Is it still there?'), media: [image] });
    expect(chunks.some((c) => c.type === 'error')).toBe(true);
    expect(row.status).toBe('error');
    expect(row.errorCode).toBeTruthy();
    // Never the internal detail (storage keys) in what the person sees.
    expect(row.errorCode).not.toContain(media.originalKey);
    expect(modelCalls()).toHaveLength(0);
    await expectReleased(conversationId);
  });
});
