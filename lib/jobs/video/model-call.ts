import { createHash } from 'node:crypto';
import { generateText, Output, type ModelMessage } from 'ai';
import type { z } from 'zod';
import { costUsd } from '@/lib/ai/budget';
import type { ModelSpec } from '@/lib/ai/catalog';
import { withFallback } from '@/lib/ai/fallback';
import { limitedModel } from '@/lib/ai/limited-model';
import { modelLimiter } from '@/lib/ai/limiter';
import { languageModel } from '@/lib/ai/providers';
import { modelChain } from '@/lib/ai/registry';
import { findCachedAnswer, storeCachedAnswer } from '@/lib/db/cache';

export interface CallResult {
  text: string;
  /** The answer parsed and validated against `schema`, when one was given. */
  output?: unknown;
  /** False when the answer came from the cache: no model call was made. */
  live: boolean;
  costUsd: number;
  inputTokens: number | null;
  outputTokens: number | null;
}

export interface CallOptions {
  /** Tokens the call is expected to use (image, prompt and answer), for the tokens-per-minute limit. */
  tokens?: number;
  /** Asks for a structured answer (JSON) that must validate against this schema; a malformed one throws. */
  schema?: z.ZodType;
}

/**
 * One background model call: answered from the cache when the same model was asked the same thing
 * before, otherwise made through the shared limiter with 429 retries and the fallback models. `key`
 * must capture everything the answer depends on (model, prompt, image bytes, schema). `messages`
 * may be built lazily, so a cache hit costs no image work.
 */
export async function cachedModelCall(
  model: ModelSpec,
  key: Record<string, unknown>,
  messages: ModelMessage[] | (() => Promise<ModelMessage[]>),
  signal: AbortSignal,
  options: CallOptions = {},
): Promise<CallResult> {
  const cacheKey = createHash('sha256').update(JSON.stringify({ ...key, model: model.id })).digest('hex');
  const cached = await findCachedAnswer(cacheKey);
  if (cached) {
    // Only answers that validated were stored; parsing again gives the same value.
    const output = options.schema ? options.schema.parse(JSON.parse(cached.text)) : undefined;
    return { text: cached.text, output, live: false, costUsd: 0, inputTokens: cached.inputTokens, outputTokens: cached.outputTokens };
  }
  const prompt = typeof messages === 'function' ? await messages() : messages;

  const chain = await modelChain(model);
  let answeredBy = model;
  const result = await generateText({
    model: withFallback(
      // Each attempt through its provider's limiter; the pauses between attempts hold no slot.
      chain.map((spec) => ({ id: spec.id, model: limitedModel(modelLimiter(spec.provider), languageModel(spec), { tokens: options.tokens }) })),
      // Background work can wait as long as a provider asks (up to a minute): nobody watches a spinner.
      { rateLimitAttempts: 6, maxDelayMs: 60_000, onChosen: (id) => (answeredBy = chain.find((m) => m.id === id) ?? model) },
    ),
    messages: prompt,
    output: options.schema ? Output.object({ schema: options.schema }) : undefined,
    maxRetries: 0, // withFallback retries 429s per model
    abortSignal: signal,
  });
  const inputTokens = result.usage.inputTokens ?? 0;
  const outputTokens = result.usage.outputTokens ?? 0;
  const cost = costUsd(answeredBy, inputTokens, outputTokens);
  if (result.text.trim()) {
    await storeCachedAnswer({ key: cacheKey, sourceConversationId: null, modelId: answeredBy.id, text: result.text, inputTokens, outputTokens, costUsd: cost });
  }
  return { text: result.text, output: options.schema ? result.output : undefined, live: true, costUsd: cost ?? 0, inputTokens, outputTokens };
}
