import type { Publisher, Subscriber } from 'resumable-stream/generic';

/** What Redis answers to INCR on a value that is not a number; resumable-stream looks for these words. */
const NOT_AN_INTEGER = 'ERR value is not an integer or out of range';

/**
 * Redis's publish/subscribe and expiring keys inside this process, for running without REDIS_URL.
 * A reload or a dropped connection then still reattaches live to an answer being written, through
 * the same resumable-stream code as with Redis, rather than only seeing the answer once it is
 * stored: the usual setup without Redis is one server process, which holds every running answer.
 * (Several processes without Redis each know only their own answers; a browser that reaches
 * another one gets 204 and waits for the stored answer instead.)
 */
export function memoryPubSub(): { publisher: Publisher; subscriber: Subscriber } {
  const channels = new Map<string, (message: string) => void>();
  const keys = new Map<string, { value: string; expiry?: ReturnType<typeof setTimeout> }>();

  function set(key: string, value: string, options?: { EX?: number }) {
    clearTimeout(keys.get(key)?.expiry);
    // Expiring keeps a long-running server from collecting one finished-stream marker per answer.
    const expiry = options?.EX ? setTimeout(() => keys.delete(key), options.EX * 1000).unref() : undefined;
    keys.set(key, { value, expiry });
    return 'OK';
  }

  const publisher: Publisher = {
    connect: async () => undefined,
    // Delivered after the caller's turn, in order, as a Redis subscriber receives messages.
    publish: async (channel, message) => {
      const listener = channels.get(channel);
      if (listener) queueMicrotask(() => listener(message));
      return listener ? 1 : 0;
    },
    set: async (key, value, options) => set(key, value, options),
    get: async (key) => keys.get(key)?.value ?? null,
    incr: async (key) => {
      const next = Number(keys.get(key)?.value ?? 0) + 1;
      if (!Number.isInteger(next)) throw new Error(NOT_AN_INTEGER);
      const expiry = keys.get(key)?.expiry;
      keys.set(key, { value: String(next), expiry });
      return next;
    },
  };
  const subscriber: Subscriber = {
    connect: async () => undefined,
    subscribe: async (channel, listener) => {
      channels.set(channel, listener);
    },
    unsubscribe: async (channel) => channels.delete(channel),
  };
  return { publisher, subscriber };
}
