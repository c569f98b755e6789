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
