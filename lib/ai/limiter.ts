import PQueue from 'p-queue';
import pThrottle from 'p-throttle';

/** One provider's limits, as its account allows. */
export interface LimiterConfig {
  /** Calls in flight at once. */
  concurrency: number;
  /** Calls started per minute, paced per second (see startPacing). */
  requestsPerMinute: number;
  /** Tokens per minute, as the callers estimate them. */
  tokensPerMinute: number;
  /** The span tokens are counted over: a minute, unless a test wants to wait less. */
  tokenWindowMs?: number;
}

export interface LimitOptions {
  /** Tokens the call is expected to use (input and answer); a call asking for more than a minute's worth is counted as a minute's worth. */
  tokens?: number;
}

export interface ModelLimiter {
  readonly config: LimiterConfig;
  /** Calls holding an in-flight slot: waiting for their rate permits, or running. */
  readonly inFlight: number;
  /** Calls waiting for an in-flight slot. */
  readonly queued: number;
  run<T>(task: (signal: AbortSignal) => PromiseLike<T>, signal?: AbortSignal, options?: LimitOptions): Promise<T>;
}

/** A caller that does not say how many tokens it needs counts as a small image with a short answer. */
export const DEFAULT_CALL_TOKENS = 1_000;

const DEFAULTS: Omit<LimiterConfig, 'tokenWindowMs'> = { concurrency: 10, requestsPerMinute: 500, tokensPerMinute: 2_000_000 };
const SETTING_NAMES = { concurrency: 'MODEL_CONCURRENCY', requestsPerMinute: 'MODEL_REQUESTS_PER_MINUTE', tokensPerMinute: 'MODEL_TOKENS_PER_MINUTE' } as const;

/** `<PROVIDER>_MODEL_CONCURRENCY` (e.g. OPENAI_…, COMPATIBLE_…) wins over `MODEL_CONCURRENCY`; the same for the rates. */
export function limiterConfigFromEnv(provider: string, env: Record<string, string | undefined> = process.env): LimiterConfig {
  const setting = (key: keyof typeof SETTING_NAMES): number => {
    const own = `${provider.toUpperCase()}_${SETTING_NAMES[key]}`;
    const name = env[own] ? own : SETTING_NAMES[key];
    const raw = env[name];
    if (!raw) return DEFAULTS[key];
    const value = Number(raw);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a whole number above 0, got "${raw}"`);
    return value;
  };
  return { concurrency: setting('concurrency'), requestsPerMinute: setting('requestsPerMinute'), tokensPerMinute: setting('tokensPerMinute') };
}

const PACING_SLICE_MS = 1000;
// Requests reach the provider a little sooner or later than they left; a slice this much longer
// keeps any one of its seconds within RPM/60 while that jitter stays under the margin.
const JITTER_MARGIN_MS = 50;

/**
 * Providers enforce a per-minute limit over short slices (OpenAI: per second), so a minute's worth
 * sent at once is refused. Starts are paced at RPM/60 per second, rounded down (one per 60/RPM s
 * below 60 RPM).
 */
function startPacing(requestsPerMinute: number): { limit: number; interval: number } {
  if (requestsPerMinute >= 60) return { limit: Math.floor(requestsPerMinute / 60), interval: PACING_SLICE_MS + JITTER_MARGIN_MS };
  return { limit: 1, interval: Math.ceil(60_000 / requestsPerMinute) + JITTER_MARGIN_MS };
}

/** Settles as `promise` does, or rejects with the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Three gates: an in-flight slot (p-queue), then tokens per minute and starts per second (p-throttle,
 * strict sliding windows). Permits are waited for inside the slot, so at most `concurrency` calls wait
 * on the rates and a call starts as soon as it has them. A call aborted while waiting leaves at once,
 * freeing its slot; a permit it already reserved stays spent, which only errs on the slow side.
 */
export function createModelLimiter(config: LimiterConfig): ModelLimiter {
  const slots = new PQueue({ concurrency: config.concurrency });
  const startPermit = pThrottle({ ...startPacing(config.requestsPerMinute), strict: true })(async () => {});
  const tokenPermit = pThrottle({
    limit: config.tokensPerMinute,
    interval: config.tokenWindowMs ?? 60_000,
    strict: true,
    weight: (tokens: number) => tokens,
  })(async (_tokens: number) => {});

  return {
    config,
    get inFlight() {
      return slots.pending;
    },
    get queued() {
      return slots.size;
    },
    async run(task, signal, { tokens = DEFAULT_CALL_TOKENS } = {}) {
      // The task gets a signal of its own, dropped after the call: p-queue never removes the abort
      // listener it adds to a task's signal, and one job's signal sees hundreds of calls.
      const own = new AbortController();
      const forwardAbort = () => own.abort(signal?.reason);
      if (signal?.aborted) forwardAbort();
      else signal?.addEventListener('abort', forwardAbort, { once: true });
      // p-throttle refuses a weight above its limit: a bigger call counts as a whole window's worth.
      const weight = Math.min(config.tokensPerMinute, Math.max(0, Math.ceil(tokens)));
      const inSlot = async () => {
        await untilAborted(tokenPermit(weight), own.signal);
        // The start permit last, so starts leave at the pace it sets.
        await untilAborted(startPermit(), own.signal);
        return task(own.signal);
      };
      try {
        // p-queue leaves an aborted call in line until its turn comes; the caller is told at once.
        // (throwOnTimeout only tells p-queue's types the task's result comes back: no timeout is set.)
        return await untilAborted(slots.add(inSlot, { signal: own.signal, throwOnTimeout: true }), own.signal);
      } finally {
        signal?.removeEventListener('abort', forwardAbort);
      }
    },
  };
}

const holder = globalThis as unknown as { glimpseProviderLimiters?: Map<string, ModelLimiter> };

/**
 * The one limiter per provider that every background model call (captions, transcription chunks,
 * translations, batches) goes through, shared by every job in this process, configured from the
 * environment when first used.
 */
export function modelLimiter(provider: string): ModelLimiter {
  holder.glimpseProviderLimiters ??= new Map();
  let limiter = holder.glimpseProviderLimiters.get(provider);
  if (!limiter) {
    limiter = createModelLimiter(limiterConfigFromEnv(provider));
    holder.glimpseProviderLimiters.set(provider, limiter);
  }
  return limiter;
}

/** Forgets the limiters, so the next call reads the environment again (tests change it). */
export function resetModelLimiters(): void {
  holder.glimpseProviderLimiters?.clear();
}

/** Runs `task` through the provider's limiter; it is given a signal that aborts with `signal`. */
export function throughLimiter<T>(provider: string, task: (signal: AbortSignal) => PromiseLike<T>, signal?: AbortSignal, options?: LimitOptions): Promise<T> {
  return modelLimiter(provider).run(task, signal, options);
}
