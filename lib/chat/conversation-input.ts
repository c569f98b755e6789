import type { ModelMessage } from 'ai';
import type { Media, Message } from '@/lib/generated/prisma/client';
import { mediaIdFromUrl, textOfParts, type ChatMessage } from '@/lib/chat/types';
import { getMediaMany } from '@/lib/db/media';
import { prepareForModel } from '@/lib/media/image';
import { preparedOnce } from '@/lib/media/prepared-cache';
import type { ImageBudget } from '@/lib/media/types';
import { getBlobStore } from '@/lib/storage';
import type { CacheKeyInput } from '@/lib/chat/cache-key';

interface Turn {
  role: 'user' | 'assistant';
  text: string;
  media: Media[];
}

const textOf = (parts: ChatMessage['parts']) => textOfParts(parts, '\n');

function mediaIdsOf(parts: ChatMessage['parts']): string[] {
  return parts.flatMap((p) => (p.type === 'file' ? [mediaIdFromUrl(p.url)].filter((id): id is string => id !== null) : []));
}

/**
 * The conversation as the model should see it: completed turns only (an unfinished or failed answer
 * is not context), with each image resolved to its stored record.
 */
export async function loadTurns(rows: Message[]): Promise<Turn[]> {
  const usable = rows.filter((r) => r.role === 'user' || (r.status === 'complete' && textOf(r.parts as ChatMessage['parts'])));
  const ids = usable.flatMap((r) => mediaIdsOf(r.parts as ChatMessage['parts']));
  const media = new Map((await getMediaMany(ids)).map((m) => [m.id, m]));
  return usable.map((r) => {
    const parts = r.parts as ChatMessage['parts'];
    return {
      role: r.role,
      text: textOf(parts),
      media: mediaIdsOf(parts).flatMap((id) => (media.has(id) ? [media.get(id)!] : [])),
    };
  });
}

export function cacheTurns(turns: Turn[]): CacheKeyInput['turns'] {
  return turns.map((t) => ({ role: t.role, text: t.text, imageHashes: t.media.map((m) => m.sha256) }));
}

/** Images are re-derived from the stored originals, so what was sent is always reproducible. */
export async function toModelMessages(turns: Turn[], budget: ImageBudget): Promise<ModelMessage[]> {
  const store = getBlobStore();
  return Promise.all(
    turns.map(async (turn): Promise<ModelMessage> => {
      if (turn.role === 'assistant') return { role: 'assistant', content: turn.text };
      const images = await Promise.all(
        turn.media.map(async (m) => {
          const prepared = await preparedOnce(m.sha256, budget, async () => {
            const original = await store.get(m.originalKey);
            if (!original) throw new Error(`original of media ${m.id} is missing from storage (${m.originalKey})`);
            return prepareForModel(original, budget);
          });
          // OpenAI reads the detail level from the part; other providers ignore it.
          const providerOptions = budget.kind === 'openai-tiles' ? { openai: { imageDetail: budget.detail } } : undefined;
          return { type: 'file' as const, data: new Uint8Array(prepared.data), mediaType: prepared.mediaType, providerOptions };
        }),
      );
      return { role: 'user', content: [...images, ...(turn.text ? [{ type: 'text' as const, text: turn.text }] : [])] };
    }),
  );
}
