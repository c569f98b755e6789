import type { ImageBudget, PreparedImage } from '@/lib/media/types';

const MAX_BYTES = 64 * 1024 * 1024;

/**
 * Model-ready images by original content hash and budget, least recently used out first. Every
 * follow-up question re-sends the conversation's images; this spares re-decoding them each turn.
 * Process memory only: the bytes stay reproducible from the stored original.
 */
const entries = new Map<string, PreparedImage>();
let bytes = 0;

export async function preparedOnce(sha256: string, budget: ImageBudget, prepare: () => Promise<PreparedImage>): Promise<PreparedImage> {
  const key = `${sha256}:${JSON.stringify(budget)}`;
  const hit = entries.get(key);
  if (hit) {
    entries.delete(key);
    entries.set(key, hit);
    return hit;
  }
  const prepared = await prepare();
  entries.set(key, prepared);
  bytes += prepared.data.length;
  for (const [oldest, value] of entries) {
    if (bytes <= MAX_BYTES) break;
    entries.delete(oldest);
    bytes -= value.data.length;
  }
  return prepared;
}
