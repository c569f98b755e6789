import { APICallError } from '@ai-sdk/provider';
import type { LanguageModelV4, LanguageModelV4CallOptions } from '@ai-sdk/provider';
import { retryAfterMs, sleep } from '@/lib/ai/retry';

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
 * mid-answer. 429s are retried on the same model with exponential backoff (honouring Retry-After).
 */
export function withFallback(candidates: Candidate[], options: FallbackOptions = {}): LanguageModelV4 {
  const { rateLimitAttempts = 3, baseDelayMs = 500, maxDelayMs = 8000, onChosen } = options;
  if (candidates.length === 0) throw new Error('withFallback needs at least one model');

  async function attempt<T>(call: (model: LanguageModelV4) => PromiseLike<T>, opts: LanguageModelV4CallOptions): Promise<T> {
    let lastError: unknown;
    for (const candidate of candidates) {
      for (let tryNo = 1; ; tryNo++) {
        try {
          const result = await call(candidate.model);
          onChosen?.(candidate.id);
          return result;
        } catch (error) {
          lastError = error;
          if (opts.abortSignal?.aborted) throw error;
          const rateLimited = APICallError.isInstance(error) && error.statusCode === 429;
          if (!rateLimited || tryNo >= rateLimitAttempts) break;
          const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (tryNo - 1));
          // A server asking for a long pause gets our longest one: the person is waiting.
          await sleep(Math.min(maxDelayMs, retryAfterMs(error) ?? backoff), opts.abortSignal);
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
    doGenerate: (opts) => attempt((m) => m.doGenerate(opts), opts),
    doStream: (opts) => attempt((m) => m.doStream(opts), opts),
  };
}
