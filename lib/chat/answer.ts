import { streamText, toUIMessageStream, type ToolSet, type UIMessageChunk } from 'ai';
import { imageBudgetFor, costUsd } from '@/lib/ai/budget';
import type { ModelSpec } from '@/lib/ai/catalog';
import { withFallback } from '@/lib/ai/fallback';
import { languageModel } from '@/lib/ai/providers';
import { findModel, modelChain } from '@/lib/ai/registry';
import { releaseAnswer } from '@/lib/chat/active';
import { answerCacheKey } from '@/lib/chat/cache-key';
import { cacheTurns, toModelMessages, type loadTurns } from '@/lib/chat/conversation-input';
import { describeAnswerError, describeModelError } from '@/lib/chat/model-errors';
import type { AnswerStatus, ChatMessage, MessageMeta } from '@/lib/chat/types';
import { findCachedAnswer, storeCachedAnswer } from '@/lib/db/cache';
import { finishAnswer, startAnswer } from '@/lib/db/messages';
import type { Detail } from '@/lib/media/types';

type Chunk = UIMessageChunk<MessageMeta>;

export const INSTRUCTIONS =
  'You are Glimpse, an assistant that answers questions about images, videos and recordings the user shares. ' +
  'Describe only what is visible or said; say so when something cannot be determined from what you were given. ' +
  'A video comes as a timeline of scene descriptions (with what is said in each when it has speech) plus a few frames; ' +
  'a recording comes as its timed transcript. When you refer to a moment in either, ' +
  'cite its time in square brackets as [mm:ss] (or [h:mm:ss] past an hour), e.g. "the car turns at [01:05]". ' +
  'Answer in Markdown.';

export interface AnswerRequest {
  conversationId: string;
  answerId: string;
  model: ModelSpec;
  detail: Detail;
  turns: Awaited<ReturnType<typeof loadTurns>>;
  /** Regenerate asks for a fresh answer: the cache is written but not read. */
  bypassCache: boolean;
  /** The conversation's answer slot (claimAnswer): stop aborts it; it is released once the answer is stored. */
  slot: AbortController;
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
  const cacheKey = answerCacheKey({ modelId: req.model.id, instructions: INSTRUCTIONS, budget, turns: cacheTurns(req.turns) });
  await startAnswer({ id: req.answerId, conversationId: req.conversationId, modelId: req.model.id, detail: req.detail });

  let source: ReadableStream<Chunk>;
  let fromCache = false;
  try {
    const cached = req.bypassCache ? null : await findCachedAnswer(cacheKey);
    fromCache = cached !== null;
    source = cached ? cachedChunks(req, await writerOf(req.model, cached.modelId), cached) : await liveChunks(req, startedAt, budget);
  } catch (error) {
    source = failedChunks(req, describeAnswerError(error));
  }

  const [toClient, toStore] = source.tee();
  const stored = persist(toStore, { req, startedAt, cacheKey, fromCache }).finally(() => releaseAnswer(req.conversationId, req.slot));
  return { stream: toClient, stored };
}

/** A fallback model may have written a stored answer: credit it, as the live answer did. */
async function writerOf(asked: ModelSpec, writtenBy: string): Promise<Pick<ModelSpec, 'id' | 'label'>> {
  if (asked.id === writtenBy) return asked;
  return (await findModel(writtenBy)) ?? { id: writtenBy, label: writtenBy };
}

function cachedChunks(
  req: AnswerRequest,
  writer: Pick<ModelSpec, 'id' | 'label'>,
  entry: { text: string; inputTokens: number | null; outputTokens: number | null },
): ReadableStream<Chunk> {
  const meta: MessageMeta = {
    modelId: writer.id,
    modelLabel: writer.label,
    detail: req.detail,
    cached: true,
    inputTokens: entry.inputTokens ?? undefined,
    outputTokens: entry.outputTokens ?? undefined,
    costUsd: 0,
    status: 'complete',
  };
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

function failedChunks(req: AnswerRequest, errorText: string): ReadableStream<Chunk> {
  const meta: MessageMeta = { modelId: req.model.id, modelLabel: req.model.label, detail: req.detail, status: 'error', error: errorText };
  return new ReadableStream<Chunk>({
    start(controller) {
      controller.enqueue({ type: 'start', messageId: req.answerId, messageMetadata: meta });
      controller.enqueue({ type: 'error', errorText });
      controller.close();
    },
  });
}

async function liveChunks(req: AnswerRequest, startedAt: number, budget: ReturnType<typeof imageBudgetFor>): Promise<ReadableStream<Chunk>> {
  let answeredBy = req.model;
  const chain = await modelChain(req.model);
  const messages = await toModelMessages(req.turns, budget);
  const result = streamText({
    model: withFallback(
      chain.map((spec) => ({ id: spec.id, model: languageModel(spec) })),
      { onChosen: (id) => (answeredBy = chain.find((m) => m.id === id) ?? req.model) },
    ),
    instructions: INSTRUCTIONS,
    messages,
    maxRetries: 0, // withFallback retries 429s per model; retrying here too would multiply attempts
    abortSignal: req.slot.signal,
    onError: () => {}, // describeModelError logs it once, with context
  });
  return toUIMessageStream<ToolSet, ChatMessage>({
    stream: result.stream,
    generateMessageId: () => req.answerId,
    onError: describeModelError,
    messageMetadata: ({ part }) => {
      if (part.type === 'start') return { modelId: req.model.id, modelLabel: req.model.label, detail: req.detail, status: 'streaming' };
      if (part.type !== 'finish') return undefined;
      const inputTokens = part.totalUsage.inputTokens ?? 0;
      const outputTokens = part.totalUsage.outputTokens ?? 0;
      return {
        modelId: answeredBy.id,
        modelLabel: answeredBy.label,
        inputTokens,
        outputTokens,
        costUsd: costUsd(answeredBy, inputTokens, outputTokens),
        latencyMs: Date.now() - startedAt,
        cached: false,
        status: 'complete',
      };
    },
  });
}

/** Reads the whole answer and stores it, whatever the browser does meanwhile. */
async function persist(
  stream: ReadableStream<Chunk>,
  ctx: { req: AnswerRequest; startedAt: number; cacheKey: string; fromCache: boolean },
): Promise<void> {
  let text = '';
  let meta: MessageMeta = {};
  let status: Exclude<AnswerStatus, 'streaming'> = 'complete';
  let error: string | null = null;
  const reader = stream.getReader();
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      const chunk = next.value;
      if (chunk.type === 'text-delta') text += chunk.delta;
      else if (chunk.type === 'error') {
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
  if (status === 'complete' && meta.status !== 'complete') status = 'stopped';

  const row = {
    text,
    status,
    modelId: meta.modelId ?? ctx.req.model.id,
    inputTokens: meta.inputTokens ?? null,
    outputTokens: meta.outputTokens ?? null,
    costUsd: meta.costUsd ?? null,
    latencyMs: Date.now() - ctx.startedAt,
    cached: ctx.fromCache,
    error,
  };
  try {
    // The cache first: a question repeated the moment this answer ends should already find it.
    if (status === 'complete' && !ctx.fromCache && text) {
      await storeCachedAnswer({ key: ctx.cacheKey, sourceConversationId: ctx.req.conversationId, modelId: row.modelId, text, inputTokens: row.inputTokens, outputTokens: row.outputTokens, costUsd: row.costUsd });
    }
    await finishAnswer(ctx.req.answerId, row);
  } catch (dbError) {
    console.error('could not store the answer', ctx.req.answerId, dbError);
  }
}
