import { db } from '@/lib/db/client';

export async function findCachedAnswer(key: string) {
  const entry = await db().cacheEntry.findUnique({ where: { key } });
  if (entry) {
    await db().cacheEntry.update({ where: { key }, data: { hits: { increment: 1 }, lastHitAt: new Date() } });
  }
  return entry;
}

export async function storeCachedAnswer(entry: {
  key: string;
  /** Null for entries no conversation owns (video captions and summaries). */
  sourceConversationId: string | null;
  modelId: string;
  text: string;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
}): Promise<void> {
  const { key, ...data } = entry;
  await db().cacheEntry.upsert({ where: { key }, create: entry, update: { ...data, createdAt: new Date() } });
}

export async function forgetCachedAnswers(keys: string[]): Promise<void> {
  await db().cacheEntry.deleteMany({ where: { key: { in: keys } } });
}
