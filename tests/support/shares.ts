import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { mediaUrl, type ChatMessage } from '@/lib/chat/types';
import { createMedia } from '@/lib/db/media';
import { finishAnswer, saveQuestion, startAnswer } from '@/lib/db/messages';
import { createShareLink } from '@/lib/db/share-links';
import { newShareToken } from '@/lib/share/links';

type Upload = (userId: string) => Promise<Awaited<ReturnType<typeof createMedia>>>;

/** A Media row as an upload leaves it (the blobs themselves are not needed for queries). */
export async function mediaRow(userId: string) {
  const sha256 = randomUUID().replace(/-/g, '').padEnd(64, '0');
  return createMedia({
    userId,
    sha256,
    mediaType: 'image/jpeg',
    filename: 'photo.jpg',
    bytes: 1234,
    width: 640,
    height: 480,
    originalKey: `originals/${sha256}`,
    previewKey: `previews/${sha256}.webp`,
  });
}

/** Conversations of `owner` as the chat route writes them, and share links to them. */
export function shareFixtures(owner: string, upload: Upload = mediaRow) {
  /** A question (with images) and its finished answer, through the calls the chat route makes. */
  async function exchange(userId: string, conversationId: string, question: string, opts: { first?: boolean; images?: number } = {}) {
    const media = await Promise.all(Array.from({ length: opts.images ?? 0 }, () => upload(userId)));
    const parts: ChatMessage['parts'] = [
      ...media.map((m) => ({ type: 'file' as const, mediaType: m.mediaType, url: mediaUrl(m.id), filename: m.filename })),
      { type: 'text' as const, text: question },
    ];
    await saveQuestion({
      userId,
      conversationId,
      newConversation: opts.first ? { title: `About ${question}`, modelId: 'compatible:stub-vision' } : null,
      message: { id: randomUUID(), parts },
      mediaIds: media.map((m) => m.id),
    });
    const answerId = randomUUID();
    await startAnswer({ id: answerId, conversationId, modelId: 'compatible:stub-vision', detail: 'auto' });
    await finishAnswer(answerId, {
      text: `Answer to ${question}`,
      status: 'complete',
      modelId: 'compatible:stub-vision',
      inputTokens: 10,
      outputTokens: 20,
      costUsd: 0.001,
      latencyMs: 50,
      cached: false,
      error: null,
    });
    return { media, answerId };
  }

  /** A conversation with one exchange (one image), shared; what happens later is after the snapshot. */
  async function sharedConversation(opts: { expiresAt?: Date | null } = {}) {
    const conversationId = randomUUID();
    const first = await exchange(owner, conversationId, 'what is it?', { first: true, images: 1 });
    // Timestamps have millisecond precision: keep "before" and "after" the snapshot apart.
    await sleep(5);
    const token = newShareToken();
    const link = await createShareLink({ userId: owner, conversationId, token, expiresAt: opts.expiresAt ?? null });
    await sleep(5);
    return { conversationId, token, link, firstMedia: first.media[0] };
  }

  return { exchange, sharedConversation };
}

export const textsOf = (messages: { parts: unknown }[]) =>
  messages.map((m) => (m.parts as ChatMessage['parts']).flatMap((p) => (p.type === 'text' ? [p.text] : [])).join(''));
