import { randomUUID } from 'node:crypto';
import type { ModelSpec } from '@/lib/ai/catalog';
import type { ApiResult, ApiSpend } from '@/lib/auth/api-key-route';
import { claimAnswer, releaseAnswer } from '@/lib/chat/active';
import { answerStream, type Answer, type Chunk } from '@/lib/chat/answer';
import { compareStream } from '@/lib/chat/compare';
import type { Comparison, ComparisonData } from '@/lib/chat/comparison-schema';
import { loadTurns } from '@/lib/chat/conversation-input';
import { textOfParts, type ChatMessage } from '@/lib/chat/types';
import { titleFromQuestion } from '@/lib/db/conversations';
import { conversationMessages, saveQuestion } from '@/lib/db/messages';
import { AppError, errorBody, errorResponse } from '@/lib/errors';
import type { Message } from '@/lib/generated/prisma/client';
import type { Detail } from '@/lib/media/types';
import type { UploadedImage } from '@/lib/uploads/image';
import type { AnalysisResult, ComparisonResult } from '@/lib/api/schemas';
import { eventStreamResponse, type ServerEvent } from '@/lib/api/sse';

interface AnalysisRequest {
  /** The caller's images, already stored (lib/api/images.ts). */
  media: UploadedImage[];
  prompt: string;
  model: ModelSpec;
  detail: Detail;
  maxOutputTokens?: number;
  /** Compare the images into a table (lib/chat/compare.ts) instead of answering in words. */
  compare?: boolean;
}

interface StartedAnalysis {
  conversationId: string;
  answerId: string;
  answer: Answer;
}

/**
 * A program's question, asked as its key's owner would ask it in the chat: a new conversation
 * titled by the prompt (so it shows in their history and the admin console), answered, cached and
 * stored by the same code, whether or not the program reads the answer to the end.
 */
export async function startAnalysis(userId: string, req: AnalysisRequest): Promise<StartedAnalysis> {
  const conversationId = randomUUID();
  const parts: ChatMessage['parts'] = [
    ...req.media.map((m) => ({ type: 'file' as const, mediaType: m.mediaType, url: m.url, filename: m.filename })),
    { type: 'text', text: req.prompt },
    // The marker the chat stores too, so regenerating it in the app compares again.
    ...(req.compare ? [{ type: 'data-compare' as const, data: {} }] : []),
  ];
  await saveQuestion({
    userId,
    conversationId,
    newConversation: { title: titleFromQuestion(req.prompt, true), modelId: req.model.id },
    message: { id: randomUUID(), parts },
    mediaIds: req.media.map((m) => m.id),
  });
  // A conversation made this instant: no other answer can hold its slot.
  const slot = claimAnswer(conversationId)!;
  try {
    const turns = await loadTurns(await conversationMessages(conversationId));
    const base = { conversationId, answerId: randomUUID(), model: req.model, detail: req.detail, bypassCache: false, slot, maxOutputTokens: req.maxOutputTokens };
    const answer = req.compare ? await compareStream({ ...base, turn: turns[0] }) : await answerStream({ ...base, turns });
    return { conversationId, answerId: base.answerId, answer };
  } catch (error) {
    releaseAnswer(conversationId, slot);
    throw error;
  }
}

type Final = { ok: true; result: AnalysisResult | ComparisonResult; spend: ApiSpend } | { ok: false; error: AppError; spend: ApiSpend };

/**
 * The answer as the API gives it: JSON once it is complete, or Server-Sent Events as it is written
 * (`start`, then `delta` pieces of text or `partial` comparisons, then `result` or `error`). Either
 * way the last word comes from the stored row, so both say exactly what the history shows.
 */
export async function analysisResponse(started: StartedAnalysis, { stream }: { stream: boolean }): Promise<ApiResult> {
  const final = started.answer.stored.then(() => finalAnswer(started));
  const spent = final.then((f) => f.spend);
  if (stream) return { response: eventStreamResponse(answerEvents(started, final)), spent };
  // Nobody reads the pieces: the stored answer is what is sent.
  void started.answer.stream.cancel();
  const f = await final;
  return { response: f.ok ? Response.json(f.result) : errorResponse(f.error), spent };
}

async function* answerEvents(started: StartedAnalysis, final: Promise<Final>): AsyncGenerator<ServerEvent> {
  yield { event: 'start', data: { id: started.conversationId } };
  const reader = started.answer.stream.getReader();
  let done = false;
  try {
    while (!done) {
      const next = await reader.read().catch(() => ({ done: true, value: undefined }) as const);
      done = next.done;
      const event = next.value && eventOf(next.value);
      if (event) yield event;
    }
  } finally {
    // The program hung up: the answer goes on being stored without this reader.
    if (!done) await reader.cancel().catch(() => {});
  }
  const f = await final;
  yield f.ok ? { event: 'result', data: f.result } : { event: 'error', data: errorBody(f.error).body };
}

function eventOf(chunk: Chunk): ServerEvent | null {
  if (chunk.type === 'text-delta') return { event: 'delta', data: { text: chunk.delta } };
  if (chunk.type !== 'data-comparison') return null;
  const data = chunk.data as ComparisonData;
  if (data.state === 'streaming') {
    const { state: _state, ...partial } = data;
    return { event: 'partial', data: partial };
  }
  if (data.state === 'retrying') return { event: 'retry', data: { attempt: data.attempt } };
  return null;
}

async function finalAnswer(started: StartedAnalysis): Promise<Final> {
  const row = (await conversationMessages(started.conversationId)).find((m) => m.id === started.answerId);
  // A cached answer called no model: the key spent nothing on it.
  const spend: ApiSpend = {
    status: 200,
    inputTokens: row?.cached ? 0 : (row?.inputTokens ?? 0),
    outputTokens: row?.cached ? 0 : (row?.outputTokens ?? 0),
    costUsd: row?.cached ? 0 : (row?.costUsd ?? 0),
  };
  if (!row || row.status === 'streaming') return failed(new AppError('internal', 'The answer could not be stored. Please try again.'), spend);
  if (row.status !== 'complete') return failed(new AppError('model_error', row.errorCode ?? 'The answer was stopped before it was finished.'), spend);
  const usage = { input_tokens: row.inputTokens ?? 0, output_tokens: row.outputTokens ?? 0, cost_usd: row.costUsd };
  const result = { id: started.conversationId, model: row.modelId ?? '', result: resultOf(row), usage, cached: row.cached };
  return { ok: true, result: result as AnalysisResult | ComparisonResult, spend };
}

const failed = (error: AppError, spend: ApiSpend): Final => ({ ok: false, error, spend: { ...spend, status: error.status } });

/** A comparison's table without the UI's state, or the answer's text. */
function resultOf(row: Message): string | Comparison {
  const parts = row.parts as ChatMessage['parts'];
  const comparison = parts.find((p) => p.type === 'data-comparison');
  if (comparison?.type === 'data-comparison' && comparison.data.state === 'complete') {
    const { state: _state, ...table } = comparison.data;
    return table;
  }
  return textOfParts(parts);
}
