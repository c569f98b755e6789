import { createHash } from 'node:crypto';
import { generateText, type ModelMessage } from 'ai';
import { costUsd } from '@/lib/ai/budget';
import type { ModelSpec } from '@/lib/ai/catalog';
import { withFallback } from '@/lib/ai/fallback';
import { throughLimiter } from '@/lib/ai/limiter';
import { languageModel } from '@/lib/ai/providers';
import { modelChain } from '@/lib/ai/registry';
import { findCachedAnswer, storeCachedAnswer } from '@/lib/db/cache';

export interface CallResult {
  text: string;
  /** False when the answer came from the cache: no model call was made. */
  live: boolean;
  costUsd: number;
}

/**
 * One background model call: answered from the cache when the same model was asked the same thing
 * before, otherwise made through the shared limiter with 429 retries and the fallback models. `key`
 * must capture everything the answer depends on (model, prompt, image bytes).
 */
export async function cachedModelCall(
  model: ModelSpec,
  key: Record<string, unknown>,
  messages: ModelMessage[],
  signal: AbortSignal,
): Promise<CallResult> {
  const cacheKey = createHash('sha256').update(JSON.stringify({ ...key, model: model.id })).digest('hex');
  const cached = await findCachedAnswer(cacheKey);
  if (cached) return { text: cached.text, live: false, costUsd: 0 };

  const chain = await modelChain(model);
  let answeredBy = model;
  const result = await throughLimiter(
    model.provider,
    (callSignal) =>
      generateText({
        model: withFallback(
          chain.map((spec) => ({ id: spec.id, model: languageModel(spec) })),
          { onChosen: (id) => (answeredBy = chain.find((m) => m.id === id) ?? model) },
        ),
        messages,
        maxRetries: 0, // withFallback retries 429s per model
        abortSignal: callSignal,
      }),
    signal,
  );
  const inputTokens = result.usage.inputTokens ?? 0;
  const outputTokens = result.usage.outputTokens ?? 0;
  const cost = costUsd(answeredBy, inputTokens, outputTokens);
  if (result.text.trim()) {
    await storeCachedAnswer({ key: cacheKey, sourceConversationId: null, modelId: answeredBy.id, text: result.text, inputTokens, outputTokens, costUsd: cost });
  }
  return { text: result.text, live: true, costUsd: cost ?? 0 };
}
