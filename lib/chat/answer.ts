import { streamText, toUIMessageStream, type ModelMessage, type ToolSet, type UIMessageChunk } from 'ai';
import { imageBudgetFor, costUsd } from '@/lib/ai/budget';
import type { ModelSpec } from '@/lib/ai/catalog';
import { withFallback } from '@/lib/ai/fallback';
import { languageModel } from '@/lib/ai/providers';
import { findModel, modelChain } from '@/lib/ai/registry';
import { releaseAnswer } from '@/lib/chat/active';
import { answerCacheKey } from '@/lib/chat/cache-key';
import { cacheTurns, toModelMessages, type loadTurns } from '@/lib/chat/conversation-input';
import { describeAnswerFailure } from '@/lib/chat/context-overflow';
import { describeAnswerError, describeModelError } from '@/lib/chat/model-errors';
import type { AnswerStatus, ChatDataParts, ChatMessage, MessageMeta } from '@/lib/chat/types';
import { findCachedAnswer, storeCachedAnswer } from '@/lib/db/cache';
import { finishAnswer, startAnswer } from '@/lib/db/messages';
import type { Detail } from '@/lib/media/types';

export type Chunk = UIMessageChunk<MessageMeta, ChatDataParts>;

// A rough English average, for estimating what a server did not count.
const CHARS_PER_TOKEN = 4;

export const EMPTY_ANSWER = 'The model finished without writing an answer (it may have declined, or run out of tokens while thinking). Try rephrasing, or pick another model.';

export const INSTRUCTIONS =
  'You are Glimpse, an assistant that answers questions about images, videos and recordings the user shares. ' +
  'Describe only what is visible or said; say so when something cannot be determined from what you were given. ' +
  'A video comes as a timeline of scene descriptions (with what is said in each when it has speech) plus a few frames; ' +
  'a recording comes as its timed transcript. When you refer to a moment in either, ' +
  'cite its time in square brackets as [mm:ss] (or [h:mm:ss] past an hour), e.g. "the car turns at [01:05]". ' +
  'Answer in Markdown.';

/** What every answer needs, whatever it answers with (text here, a comparison in compare.ts). */
export interface AnswerBase {
  conversationId: string;
  answerId: string;
  model: ModelSpec;
  detail: Detail;
  /** Regenerate asks for a fresh answer: the cache is written but not read. */
  bypassCache: boolean;
  /** At most this many tokens of answer (the HTTP API's `max_tokens`); the model's own limit when absent. */
  maxOutputTokens?: number;
  /** The conversation's answer slot (claimAnswer): stop aborts it; it is released once the answer is stored. */
  slot: AbortController;
}

export interface AnswerRequest extends AnswerBase {
  turns: Awaited<ReturnType<typeof loadTurns>>;
}

export interface Answer {
  stream: ReadableStream<Chunk>;
  /** Settles when the answer is in the database, whatever happened to `stream`'s reader. */
  stored: Promise<void>;
}

/**
 * The answer as a UI message stream. It is produced independently of whoever reads it: the
 * stored message is completed even when the browser goes away mid-answer. Once the assistant row
 * exists, every failure ends as a stored, visible error: never a row stuck "streaming".
 */
export async function answerStream(req: AnswerRequest): Promise<Answer> {
  const startedAt = Date.now();
  const budget = imageBudgetFor(req.model, req.detail);
  const cacheKey = answerCacheKey({ modelId: req.model.id, instructions: INSTRUCTIONS, budget, turns: cacheTurns(req.turns), maxOutputTokens: req.maxOutputTokens });
  return runAnswer(req, {
    startedAt,
    cacheKey,
    replay: (entry, writer) => cachedChunks(req, writer, entry),
    live: () => liveChunks(req, startedAt, budget),
  });
}

type CacheEntry = NonNullable<Awaited<ReturnType<typeof findCachedAnswer>>>;

/** What persist read from an answer's stream. */
export interface Collected {
  text: string;
  /** Each data part as it last was (parts with one id are updated in place). */
  data: Extract<ChatMessage['parts'][number], { type: `data-${string}` }>[];
}

export interface AnswerSource {
  startedAt: number;
  cacheKey: string;
  /** The cached entry as chunks, or null when it cannot be used (a live answer is made instead). */
  replay: (entry: CacheEntry, writer: Pick<ModelSpec, 'id' | 'label'>) => ReadableStream<Chunk> | null;
  /** Throws when the answer cannot even start (images cannot be prepared): that becomes a stored error. */
  live: () => Promise<ReadableStream<Chunk>>;
  /** What a complete answer is cached as; its text by default. */
  cacheText?: (collected: Collected) => string | null;
}

/**
 * Starts the stored answer, takes it from the cache or the model, and hands the chunks both to
 * the reader and to the database, independently of each other.
 */
export async function runAnswer(req: AnswerBase, source: AnswerSource): Promise<Answer> {
  await startAnswer({ id: req.answerId, conversationId: req.conversationId, modelId: req.model.id, detail: req.detail });

  let chunks: ReadableStream<Chunk>;
  let fromCache = false;
  try {
    const cached = req.bypassCache ? null : await findCachedAnswer(source.cacheKey);
    const replayed = cached ? source.replay(cached, await writerOf(req.model, cached.modelId)) : null;
    fromCache = replayed !== null;
    chunks = replayed ?? (await source.live());
  } catch (error) {
    chunks = failedChunks(req, describeAnswerError(error));
  }

  const [toClient, toStore] = chunks.tee();
  const stored = persist(toStore, { req, source, fromCache }).finally(() => releaseAnswer(req.conversationId, req.slot));
  return { stream: toClient, stored };
}

/** A fallback model may have written a stored answer: credit it, as the live answer did. */
async function writerOf(asked: ModelSpec, writtenBy: string): Promise<Pick<ModelSpec, 'id' | 'label'>> {
  if (asked.id === writtenBy) return asked;
  return (await findModel(writtenBy)) ?? { id: writtenBy, label: writtenBy };
}

/** A cached answer costs nothing now; its tokens are what it took when it was made. */
export function cachedMeta(req: AnswerBase, writer: Pick<ModelSpec, 'id' | 'label'>, entry: CacheEntry): MessageMeta {
  return {
    modelId: writer.id,
    modelLabel: writer.label,
    detail: req.detail,
    cached: true,
    inputTokens: entry.inputTokens ?? undefined,
    outputTokens: entry.outputTokens ?? undefined,
    costUsd: 0,
    status: 'complete',
  };
}

export function cachedChunks(req: AnswerBase, writer: Pick<ModelSpec, 'id' | 'label'>, entry: CacheEntry): ReadableStream<Chunk> {
  const meta = cachedMeta(req, writer, entry);
  // Word-sized pieces keep the client's rendering path identical to a live answer.
  const pieces = entry.text.match(/\S+\s*|\s+/g) ?? [];
  return new ReadableStream<Chunk>({
    start(controller) {
      controller.enqueue({ type: 'start', messageId: req.answerId, messageMetadata: meta });
      controller.enqueue({ type: 'text-start', id: 'cached' });
      for (const delta of pieces) controller.enqueue({ type: 'text-delta', id: 'cached', delta });
      controller.enqueue({ type: 'text-end', id: 'cached' });
      controller.enqueue({ type: 'finish', finishReason: 'stop', messageMetadata: meta });
      controller.close();
    },
  });
}

export function failedChunks(req: AnswerBase, errorText: string): ReadableStream<Chunk> {
  const meta: MessageMeta = { modelId: req.model.id, modelLabel: req.model.label, detail: req.detail, status: 'error', error: errorText };
  return new ReadableStream<Chunk>({
    start(controller) {
      controller.enqueue({ type: 'start', messageId: req.answerId, messageMetadata: meta });
      controller.enqueue({ type: 'error', errorText });
      controller.close();
    },
  });
}

/** The asked model with FALLBACK_MODELS behind it, and which of them really answered (once one has). */
export async function modelWithFallback(asked: ModelSpec) {
  let answeredBy = asked;
  const chain = await modelChain(asked);
  const model = withFallback(
    chain.map((spec) => ({ id: spec.id, model: languageModel(spec) })),
    { onChosen: (id) => (answeredBy = chain.find((m) => m.id === id) ?? asked) },
  );
  return { model, answeredBy: () => answeredBy };
}

export const startMeta = (req: AnswerBase): MessageMeta => ({ modelId: req.model.id, modelLabel: req.model.label, detail: req.detail, status: 'streaming' });

/** What a live answer took, credited to the model that wrote it. */
export function usageMeta(answeredBy: ModelSpec, inputTokens: number, outputTokens: number, startedAt: number, reasoningTokens?: number): MessageMeta {
  return {
    modelId: answeredBy.id,
    modelLabel: answeredBy.label,
    inputTokens,
    outputTokens,
    ...(reasoningTokens ? { reasoningTokens } : {}),
    costUsd: costUsd(answeredBy, inputTokens, outputTokens),
    latencyMs: Date.now() - startedAt,
    cached: false,
  };
}

async function liveChunks(req: AnswerRequest, startedAt: number, budget: ReturnType<typeof imageBudgetFor>): Promise<ReadableStream<Chunk>> {
  return streamAnswer(req, await toModelMessages(req.turns, budget), startedAt);
}

/** Model calls an answer needed before its own (a tiled image's parts, lib/chat/tiled-answer.ts). */
export interface Spent {
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
}

const NOTHING_SPENT: Spent = { inputTokens: 0, outputTokens: 0, costUsd: 0 };

/**
 * The answer to `messages`, streamed as it is written; its usage adds what was `spent` before it.
 * `sendStart: false` when the caller has already started the message (and shown progress in it).
 */
export async function streamAnswer(
  req: AnswerBase,
  messages: ModelMessage[],
  startedAt: number,
  { spent = NOTHING_SPENT, sendStart = true }: { spent?: Spent; sendStart?: boolean } = {},
): Promise<ReadableStream<Chunk>> {
  const { model, answeredBy } = await modelWithFallback(req.model);
  // Servers that split reasoning out do not all count its tokens apart (vLLM does not): then they are
  // estimated from its length, as they are in the output tokens the server did count.
  let reasoningChars = 0;
  let textChars = 0;
  const result = streamText({
    model,
    instructions: INSTRUCTIONS,
    messages,
    maxOutputTokens: req.maxOutputTokens,
    maxRetries: 0, // withFallback retries 429s per model; retrying here too would multiply attempts
    abortSignal: req.slot.signal,
    onError: () => {}, // describeModelError logs it once, with context
  });
  return toUIMessageStream<ToolSet, ChatMessage>({
    stream: result.stream,
    sendStart,
    generateMessageId: () => req.answerId,
    onError: (error) => describeAnswerFailure(error, messages),
    messageMetadata: ({ part }) => {
      if (part.type === 'reasoning-delta') reasoningChars += part.text.length;
      if (part.type === 'text-delta') textChars += part.text.trim().length;
      if (part.type === 'start') return startMeta(req);
      if (part.type !== 'finish') return undefined;
      const inputTokens = part.totalUsage.inputTokens ?? 0;
      const outputTokens = part.totalUsage.outputTokens ?? 0;
      // Priced per call: the calls before may have been answered by a fallback model of another price.
      const cost = costUsd(answeredBy(), inputTokens, outputTokens);
      const reasoningTokens = part.totalUsage.outputTokenDetails?.reasoningTokens || Math.ceil(reasoningChars / CHARS_PER_TOKEN);
      return {
        ...usageMeta(answeredBy(), inputTokens + spent.inputTokens, outputTokens + spent.outputTokens, startedAt, reasoningTokens),
        costUsd: cost === null || spent.costUsd === null ? null : cost + spent.costUsd,
        // Nothing written (a refusal sent in a field the SDK drops, a thinking model out of tokens
        // before its answer): said so, rather than an empty bubble that looks like success.
        ...(textChars === 0 ? { status: 'error' as const, error: EMPTY_ANSWER } : { status: 'complete' as const }),
      };
    },
  });
}

/** Reads the whole answer and stores it, whatever the browser does meanwhile. */
async function persist(stream: ReadableStream<Chunk>, ctx: { req: AnswerBase; source: AnswerSource; fromCache: boolean }): Promise<void> {
  let text = '';
  let reasoning = '';
  const data = new Map<string, Collected['data'][number]>();
  let meta: MessageMeta = {};
  let status: Exclude<AnswerStatus, 'streaming'> = 'complete';
  let error: string | null = null;
  const reader = stream.getReader();
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      const chunk = next.value;
      if (chunk.type === 'text-delta') text += chunk.delta;
      else if (chunk.type === 'reasoning-delta') reasoning += chunk.delta;
      else if (chunk.type.startsWith('data-') && 'data' in chunk && !chunk.transient) {
        data.set(`${chunk.type}:${chunk.id ?? data.size}`, { type: chunk.type, id: chunk.id, data: chunk.data } as Collected['data'][number]);
      } else if (chunk.type === 'error') {
        status = 'error';
        error = chunk.errorText;
      } else if (chunk.type === 'abort') status = 'stopped';
      else if ((chunk.type === 'start' || chunk.type === 'finish' || chunk.type === 'message-metadata') && chunk.messageMetadata) {
        meta = { ...meta, ...chunk.messageMetadata };
      }
    }
  } catch (streamError) {
    status = 'error';
    error = describeModelError(streamError);
  }
  if (status === 'complete' && meta.status === 'error') {
    status = 'error';
    error = meta.error ?? null;
  } else if (status === 'complete' && meta.status !== 'complete') status = 'stopped';

  const collected: Collected = { text, data: [...data.values()] };
  const row = {
    text,
    reasoning: reasoning.trim(),
    // Data is structured: only a complete answer's is trustworthy (no half-filled table is kept).
    data: status === 'complete' ? collected.data : [],
    status,
    modelId: meta.modelId ?? ctx.req.model.id,
    inputTokens: meta.inputTokens ?? null,
    outputTokens: meta.outputTokens ?? null,
    reasoningTokens: meta.reasoningTokens ?? null,
    costUsd: meta.costUsd ?? null,
    latencyMs: Date.now() - ctx.source.startedAt,
    cached: ctx.fromCache,
    error,
  };
  try {
    // The cache first: a question repeated the moment this answer ends should already find it.
    const cacheText = ctx.source.cacheText ? ctx.source.cacheText(collected) : text;
    if (status === 'complete' && !ctx.fromCache && cacheText) {
      await storeCachedAnswer({ key: ctx.source.cacheKey, sourceConversationId: ctx.req.conversationId, modelId: row.modelId, text: cacheText, inputTokens: row.inputTokens, outputTokens: row.outputTokens, costUsd: row.costUsd });
    }
    await finishAnswer(ctx.req.answerId, row);
  } catch (dbError) {
    console.error('could not store the answer', ctx.req.answerId, dbError);
  }
}
