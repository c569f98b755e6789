import { NoObjectGeneratedError, Output, streamText, type LanguageModel, type ModelMessage } from 'ai';
import { imageBudgetFor } from '@/lib/ai/budget';
import {
  cachedMeta,
  modelWithFallback,
  runAnswer,
  startMeta,
  usageMeta,
  type Answer,
  type AnswerBase,
  type Chunk,
  type Collected,
} from '@/lib/chat/answer';
import { answerCacheKey } from '@/lib/chat/cache-key';
import {
  COMPARISON_SCHEMA_VERSION,
  comparisonSchema,
  parseComparison,
  partialComparison,
  type Comparison,
  type ComparisonData,
  type PartialComparison,
} from '@/lib/chat/comparison-schema';
import { cacheTurns, toModelMessages, type loadTurns } from '@/lib/chat/conversation-input';
import { describeModelError } from '@/lib/chat/model-errors';
import type { MessageMeta } from '@/lib/chat/types';

export const COMPARE_INSTRUCTIONS =
  'You are Glimpse, comparing the images the user shares. The images are numbered 1, 2, 3… in the order they are given. ' +
  'Describe only what is visible. Answer with one JSON object: ' +
  '{"similarities": [string], "differences": [{"aspect": string, "values": [string]}], "recommendation": {"choice": number | null, "reason": string} | null}. ' +
  'similarities: what all the images have in common. differences: one entry per aspect that differs, with exactly one short value per image, in image order. ' +
  'recommendation: only when the question asks which image to pick or for a recommendation (choice is the image number), otherwise null. ' +
  'Follow the question for what to compare.';

/** A malformed answer is asked for once more; a second one is shown as an error. */
export const COMPARE_ATTEMPTS = 2;

const MALFORMED_MESSAGE = `The model answered with a malformed comparison ${COMPARE_ATTEMPTS} times, so there is no table to show. Try again, or pick another model.`;

/** The one `data-comparison` part of an answer: every update replaces it in place. */
const PART_ID = 'comparison';

type Turn = Awaited<ReturnType<typeof loadTurns>>[number];

export interface CompareRequest extends AnswerBase {
  /** The question: its images (2–10, checked by the chat route) and its text. */
  turn: Turn;
}

/**
 * A comparison of the question's images as a UI message stream of `data-comparison` parts, stored
 * and cached like an answer (lib/chat/answer.ts). Only the question is sent, not the conversation
 * before it: a comparison is about these images, so it is cached by them, the question and the model.
 */
export async function compareStream(req: CompareRequest): Promise<Answer> {
  const startedAt = Date.now();
  const budget = imageBudgetFor(req.model, req.detail);
  const imageCount = req.turn.media.length;
  const cacheKey = answerCacheKey({
    modelId: req.model.id,
    // The schema version rides with the instructions: a comparison cached in an older shape is not replayed.
    instructions: `comparison v${COMPARISON_SCHEMA_VERSION}\n${COMPARE_INSTRUCTIONS}`,
    budget,
    turns: cacheTurns([req.turn]),
  });
  return runAnswer(req, {
    startedAt,
    cacheKey,
    replay: (entry, writer) => {
      const cached = parseComparison(parseJson(entry.text), imageCount);
      if (!cached.ok) return null;
      const meta = cachedMeta(req, writer, entry);
      return chunksOf([{ type: 'start', messageId: req.answerId, messageMetadata: meta }, dataChunk({ state: 'complete', ...cached.comparison }), finishChunk(meta)]);
    },
    live: async () => {
      const messages = await toModelMessages([req.turn], budget);
      return liveComparison(req, await modelWithFallback(req.model), messages, imageCount, startedAt);
    },
    cacheText: completeComparisonText,
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** A complete comparison is cached as its JSON, without the UI's state. */
function completeComparisonText(collected: Collected): string | null {
  const part = collected.data.find((p) => p.type === 'data-comparison');
  if (part?.type !== 'data-comparison' || part.data.state !== 'complete') return null;
  const { state: _state, ...comparison } = part.data;
  return JSON.stringify(comparison);
}

const dataChunk = (data: ComparisonData): Chunk => ({ type: 'data-comparison', id: PART_ID, data });
const finishChunk = (messageMetadata: MessageMeta): Chunk => ({ type: 'finish', finishReason: 'stop', messageMetadata });

function chunksOf(chunks: Chunk[]): ReadableStream<Chunk> {
  return new ReadableStream<Chunk>({
    start(controller) {
      chunks.forEach((chunk) => controller.enqueue(chunk));
      controller.close();
    },
  });
}

type Attempt =
  | { kind: 'complete'; comparison: Comparison }
  | { kind: 'malformed'; problem: string }
  | { kind: 'failed'; error: unknown }
  | { kind: 'stopped' };

/**
 * Asks until a comparison fits its images or attempts run out. The table streams as the object
 * arrives; before a retry it is cleared (`retrying`), and a comparison that never came right ends
 * as an error with no table. Every attempt's tokens are counted: a malformed answer is paid for too.
 */
function liveComparison(
  req: CompareRequest,
  { model, answeredBy }: Awaited<ReturnType<typeof modelWithFallback>>,
  messages: ModelMessage[],
  imageCount: number,
  startedAt: number,
): ReadableStream<Chunk> {
  return new ReadableStream<Chunk>({
    async start(controller) {
      const send = (chunk: Chunk) => controller.enqueue(chunk);
      const usage = { input: 0, output: 0 };
      const spent = () => usageMeta(answeredBy(), usage.input, usage.output, startedAt);
      const fail = (errorText: string) => {
        // The partial table goes before the error is said: nothing half-filled stays on screen.
        send(dataChunk({ state: 'error' }));
        send({ type: 'message-metadata', messageMetadata: { ...spent(), status: 'error', error: errorText } });
        send({ type: 'error', errorText });
      };
      send({ type: 'start', messageId: req.answerId, messageMetadata: startMeta(req) });
      try {
        for (let attempt = 1; ; attempt++) {
          const outcome = await attemptComparison(model, messages, imageCount, req.slot.signal, usage, (partial) =>
            send(dataChunk({ state: 'streaming', ...partial })),
          );
          if (outcome.kind === 'complete') {
            send(dataChunk({ state: 'complete', ...outcome.comparison }));
            send(finishChunk({ ...spent(), status: 'complete' }));
            break;
          }
          if (outcome.kind === 'stopped') {
            // A call cut short reports no usage; what earlier attempts took is still owed.
            if (usage.input + usage.output > 0) send({ type: 'message-metadata', messageMetadata: spent() });
            send({ type: 'abort' });
            break;
          }
          if (outcome.kind === 'failed') {
            fail(describeModelError(outcome.error));
            break;
          }
          console.warn(`comparison attempt ${attempt} by ${answeredBy().id} was malformed: ${outcome.problem}`);
          if (attempt >= COMPARE_ATTEMPTS) {
            fail(MALFORMED_MESSAGE);
            break;
          }
          send(dataChunk({ state: 'retrying', attempt: attempt + 1 }));
        }
      } catch (error) {
        fail(describeModelError(error));
      }
      controller.close();
    },
  });
}

async function attemptComparison(
  model: LanguageModel,
  messages: ModelMessage[],
  imageCount: number,
  signal: AbortSignal,
  usage: { input: number; output: number },
  onPartial: (partial: PartialComparison) => void,
): Promise<Attempt> {
  let failure: unknown = null;
  const result = streamText({
    model,
    instructions: COMPARE_INSTRUCTIONS,
    messages,
    output: Output.object({ schema: comparisonSchema, name: 'comparison', description: 'A comparison of the images, for a table.' }),
    maxRetries: 0, // withFallback retries 429s per model; malformed answers are retried here
    abortSignal: signal,
    onError: ({ error }) => {
      failure ??= error;
    },
  });
  let shown = '';
  for await (const partial of result.partialOutputStream) {
    const table = partialComparison(partial);
    // Whitespace deltas change nothing on screen: send only what does.
    const key = JSON.stringify(table);
    if (key !== shown) onPartial(table);
    shown = key;
  }
  const spent = await Promise.resolve(result.usage).catch(() => null);
  usage.input += spent?.inputTokens ?? 0;
  usage.output += spent?.outputTokens ?? 0;
  if (signal.aborted) return { kind: 'stopped' };
  if (failure) return { kind: 'failed', error: failure };
  try {
    const checked = parseComparison(await result.output, imageCount);
    return checked.ok ? { kind: 'complete', comparison: checked.comparison } : { kind: 'malformed', problem: checked.problem };
  } catch (error) {
    if (NoObjectGeneratedError.isInstance(error)) return { kind: 'malformed', problem: error.message };
    return { kind: 'failed', error };
  }
}

