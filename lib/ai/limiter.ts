import PQueue from 'p-queue';

function positiveIntFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

const holder = globalThis as unknown as { glimpseModelLimiters?: Map<string, PQueue> };

/**
 * The one gate every background model call (video captions, batches) goes through: at most
 * MODEL_CONCURRENCY calls in flight and MODEL_REQUESTS_PER_MINUTE started per minute, per provider,
 * shared by every job in this process, so two videos processed at once do not double the load a
 * provider sees. 429s that still happen are retried by withFallback.
 */
export function modelLimiter(provider: string): PQueue {
  holder.glimpseModelLimiters ??= new Map();
  let queue = holder.glimpseModelLimiters.get(provider);
  if (!queue) {
    queue = new PQueue({
      concurrency: positiveIntFromEnv('MODEL_CONCURRENCY', 8),
      intervalCap: positiveIntFromEnv('MODEL_REQUESTS_PER_MINUTE', 300),
      interval: 60_000,
      carryoverConcurrencyCount: true,
    });
    holder.glimpseModelLimiters.set(provider, queue);
  }
  return queue;
}

/**
 * Runs `task` through the provider's limiter, aborted with `signal`. The task gets a signal of its
 * own, dropped after the call: p-queue never removes the abort listener it adds to a task's signal,
 * and one job's signal sees hundreds of calls.
 */
export async function throughLimiter<T>(provider: string, task: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
  const own = new AbortController();
  const forwardAbort = () => own.abort(signal?.reason);
  if (signal?.aborted) forwardAbort();
  else signal?.addEventListener('abort', forwardAbort, { once: true });
  try {
    // throwOnTimeout only tells p-queue's types the task's result comes back (no timeout is set).
    return await modelLimiter(provider).add(() => task(own.signal), { signal: own.signal, throwOnTimeout: true });
  } finally {
    signal?.removeEventListener('abort', forwardAbort);
  }
}
