import { randomUUID } from 'node:crypto';
import type { ModelSpec } from '@/lib/ai/catalog';
import type { ApiResult, ApiSpend } from '@/lib/auth/api-key-route';
import { claimAnswer, releaseAnswer } from '@/lib/chat/active';
import { answerStream, type Answer, type Chunk } from '@/lib/chat/answer';
import { compareStream } from '@/lib/chat/compare';
import type { ComparisonData } from '@/lib/chat/comparison-schema';
import { loadTurns } from '@/lib/chat/conversation-input';
import type { ChatMessage } from '@/lib/chat/types';
import { titleFromQuestion } from '@/lib/db/conversations';
import { conversationMessages, saveQuestion } from '@/lib/db/messages';
import { AppError, errorBody, errorResponse } from '@/lib/errors';
import type { Detail } from '@/lib/media/types';
import type { UploadedImage } from '@/lib/uploads/image';
import { startedJobResponse } from '@/lib/api/jobs';
import { answerResult, answerSpend, answerUsage } from '@/lib/api/answer-row';
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

/**
 * The answer as a job (POST /api/v1/compare without `stream`): 202 with its state at once, while
 * it goes on being written and stored; GET /api/v1/jobs/{id} gives the result when it is done.
 */
export async function analysisJobResponse(userId: string, started: StartedAnalysis): Promise<ApiResult> {
  void started.answer.stream.cancel();
  // The request itself succeeded: a failed comparison is the job's outcome, not a refused request.
  const spent = started.answer.stored.then(() => finalAnswer(started)).then((f) => ({ ...f.spend, status: 202 }));
  return { response: await startedJobResponse(userId, started.conversationId), spent };
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
  const spend = answerSpend(row, 200);
  if (!row || row.status === 'streaming') return failed(new AppError('internal', 'The answer could not be stored. Please try again.'), spend);
  if (row.status !== 'complete') return failed(new AppError('model_error', row.errorCode ?? 'The answer was stopped before it was finished.'), spend);
  const result = { id: started.conversationId, model: row.modelId ?? '', result: answerResult(row), usage: answerUsage(row), cached: row.cached };
  return { ok: true, result: result as AnalysisResult | ComparisonResult, spend };
}

const failed = (error: AppError, spend: ApiSpend): Final => ({ ok: false, error, spend: { ...spend, status: error.status } });
