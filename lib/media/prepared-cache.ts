import type { ImageBudget, PreparedImage } from '@/lib/media/types';

const MAX_BYTES = 64 * 1024 * 1024;

/**
 * Model-ready images by original content hash and budget, least recently used out first. Every
 * follow-up question re-sends the conversation's images; this spares re-decoding them each turn.
 * Process memory only: the bytes stay reproducible from the stored original. Requests for an
 * image still being prepared share that one preparation.
 */
const ready = new Map<string, PreparedImage>();
const pending = new Map<string, Promise<PreparedImage>>();
let bytes = 0;

export async function preparedOnce(sha256: string, budget: ImageBudget, prepare: () => Promise<PreparedImage>): Promise<PreparedImage> {
  const key = `${sha256}:${JSON.stringify(budget)}`;
  const hit = ready.get(key);
  if (hit) {
    ready.delete(key);
    ready.set(key, hit);
    return hit;
  }
  const inFlight = pending.get(key);
  if (inFlight) return inFlight;

  const preparation = prepare().finally(() => pending.delete(key));
  pending.set(key, preparation);
  const prepared = await preparation;
  if (!ready.has(key)) {
    ready.set(key, prepared);
    bytes += prepared.data.length;
  }
  for (const [oldest, value] of ready) {
    if (bytes <= MAX_BYTES) break;
    ready.delete(oldest);
    bytes -= value.data.length;
  }
  return prepared;
}
