import type { LanguageModelV4, LanguageModelV4CallOptions } from '@ai-sdk/provider';
import { classifyProviderError } from '@/lib/ai/provider-errors';
import { sleep } from '@/lib/ai/retry';
import { withSmallerImages } from '@/lib/ai/smaller-images';

export interface Candidate {
  id: string;
  model: LanguageModelV4;
}

export interface FallbackOptions {
  /** Attempts per model when it answers 429 (the first try included). */
  rateLimitAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Told which candidate produced the stream, so the answer is labelled with the model that really answered. */
  onChosen?: (id: string) => void;
}

/**
 * One model that tries each candidate in order. A candidate is abandoned only when it fails
 * before streaming (the HTTP call itself throws): once text has started we never switch models
 * mid-answer. What is retried on the same model follows the failure's reading
 * (lib/ai/provider-errors.ts): a 429 after backoff (honouring Retry-After), a request refused as too
 * large once with its images at half the pixels; a permanent failure (bad key, context overflow)
 * would fail on the next model alike unless it is about this model, so only a transient or a
 * model failure moves on.
 */
export function withFallback(candidates: Candidate[], options: FallbackOptions = {}): LanguageModelV4 {
  const { rateLimitAttempts = 3, baseDelayMs = 500, maxDelayMs = 8000, onChosen } = options;
  if (candidates.length === 0) throw new Error('withFallback needs at least one model');

  async function attempt<T>(call: (model: LanguageModelV4, opts: LanguageModelV4CallOptions) => PromiseLike<T>, original: LanguageModelV4CallOptions): Promise<T> {
    let lastError: unknown;
    let opts = original;
    for (const candidate of candidates) {
      let shrunk = false;
      for (let tryNo = 1; ; ) {
        try {
          const result = await call(candidate.model, opts);
          onChosen?.(candidate.id);
          return result;
        } catch (error) {
          lastError = error;
          if (opts.abortSignal?.aborted) throw error;
          const failure = classifyProviderError(error);
          if (failure?.retry === 'shrink' && !shrunk) {
            shrunk = true;
            const smaller = await withSmallerImages(opts);
            if (smaller) {
              // The smaller images stay for the models after this one too.
              opts = smaller;
              continue;
            }
          }
          if (failure?.retry !== 'wait' || tryNo >= rateLimitAttempts) {
            if (failure && failure.retry === 'never' && failure.kind !== 'model') throw error;
            break;
          }
          const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (tryNo - 1));
          tryNo++;
          // A server asking for a long pause gets our longest one: the person is waiting.
          await sleep(Math.min(maxDelayMs, failure.retryAfterMs ?? backoff), opts.abortSignal);
        }
      }
    }
    throw lastError;
  }

  const first = candidates[0].model;
  return {
    specificationVersion: 'v4',
    provider: first.provider,
    modelId: first.modelId,
    supportedUrls: {},
    doGenerate: (opts) => attempt((m, o) => m.doGenerate(o), opts),
    doStream: (opts) => attempt((m, o) => m.doStream(o), opts),
  };
}
