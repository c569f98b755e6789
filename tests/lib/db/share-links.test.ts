/**
 * Share links against the real database: what a link shows (its snapshot, nothing later), which
 * images it may serve, that revoked and expired links resolve to nothing, and that "continue in a
 * copy" makes rows of the viewer's own that do not depend on the original.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaUrl, type ChatMessage } from '@/lib/chat/types';
import { db } from '@/lib/db/client';
import { deleteConversation, getConversationWithMessages } from '@/lib/db/conversations';
import { createMedia } from '@/lib/db/media';
import { finishAnswer, saveQuestion, startAnswer } from '@/lib/db/messages';
import {
  copySharedConversation,
  countShareView,
  createShareLink,
  findLiveShareLink,
  getSharedConversation,
  getSharedMedia,
  listShareLinks,
  revokeShareLink,
} from '@/lib/db/share-links';
import { newShareToken } from '@/lib/share/links';
import { testPrisma } from '@/tests/support/db';
import { ensureTestUser } from '@/tests/support/users';

const prisma = testPrisma();
const owner = `share-owner-${randomUUID()}`;
const viewer = `share-viewer-${randomUUID()}`;
const stranger = `share-stranger-${randomUUID()}`;

beforeAll(async () => {
  await ensureTestUser(owner);
  await ensureTestUser(viewer, { anonymous: false });
  await ensureTestUser(stranger);
});

afterAll(async () => {
  await prisma.$disconnect();
  await db().$disconnect();
});

/** A Media row as an upload leaves it (the blobs themselves are not needed for these queries). */
async function upload(userId: string) {
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

/** A conversation with one exchange (one image), shared; `later` happens after the snapshot. */
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

const textsOf = (messages: { parts: unknown }[]) =>
  messages.map((m) => (m.parts as ChatMessage['parts']).flatMap((p) => (p.type === 'text' ? [p.text] : [])).join(''));

describe('a share link shows its snapshot', () => {
  it('returns the messages up to snapshotAt; a message created afterwards is not shared', async () => {
    const { conversationId, token, link } = await sharedConversation();
    await exchange(owner, conversationId, 'and now?', { images: 1 });

    const shared = await getSharedConversation(token);
    expect(shared?.title).toBe('About what is it?');
    expect(shared?.link.id).toBe(link.id);
    expect(textsOf(shared!.messages)).toEqual(['what is it?', 'Answer to what is it?']);
    expect(shared!.messages.every((m) => m.createdAt <= link.snapshotAt)).toBe(true);
    // The owner still sees everything.
    expect((await getConversationWithMessages(owner, conversationId))?.messages).toHaveLength(4);
  });

  it('serves only images attached to a message inside the snapshot of that conversation', async () => {
    const { conversationId, token, firstMedia } = await sharedConversation();
    const later = await exchange(owner, conversationId, 'one more', { images: 1 });
    const unsent = await upload(owner);
    const elsewhere = await sharedConversation();

    expect((await getSharedMedia(token, firstMedia.id))?.id).toBe(firstMedia.id);
    // Sent after the snapshot: refused, like an id that does not exist.
    expect(await getSharedMedia(token, later.media[0].id)).toBeNull();
    // The owner's image that was never sent, and one from another shared conversation.
    expect(await getSharedMedia(token, unsent.id)).toBeNull();
    expect(await getSharedMedia(token, elsewhere.firstMedia.id)).toBeNull();
    expect(await getSharedMedia(elsewhere.token, firstMedia.id)).toBeNull();
    expect(await getSharedMedia(token, randomUUID())).toBeNull();
  });

  it('refuses an image whose row no longer belongs to the conversation, even if a snapshot message names it', async () => {
    const { token, firstMedia } = await sharedConversation();
    await db().media.update({ where: { id: firstMedia.id }, data: { conversationId: null } });
    expect(await getSharedMedia(token, firstMedia.id)).toBeNull();
  });
});

describe('revoked and expired links resolve to nothing', () => {
  it('a revoked link stops: no conversation, no images', async () => {
    const { token, link, firstMedia } = await sharedConversation();
    expect(await revokeShareLink(stranger, link.id)).toBe(false);
    expect(await findLiveShareLink(token)).not.toBeNull();

    expect(await revokeShareLink(owner, link.id)).toBe(true);
    expect(await findLiveShareLink(token)).toBeNull();
    expect(await getSharedConversation(token)).toBeNull();
    expect(await getSharedMedia(token, firstMedia.id)).toBeNull();
  });

  it('revoking twice keeps the first time', async () => {
    const { link } = await sharedConversation();
    await revokeShareLink(owner, link.id);
    const first = (await db().shareLink.findUniqueOrThrow({ where: { id: link.id } })).revokedAt;
    await sleep(5);
    expect(await revokeShareLink(owner, link.id)).toBe(true);
    expect((await db().shareLink.findUniqueOrThrow({ where: { id: link.id } })).revokedAt).toEqual(first);
  });

  it('an expired link stops at its expiry', async () => {
    const expiresAt = new Date(Date.now() + 60_000);
    const { token, firstMedia } = await sharedConversation({ expiresAt });
    expect(await getSharedConversation(token)).not.toBeNull();
    const after = new Date(expiresAt.getTime() + 1);
    expect(await findLiveShareLink(token, after)).toBeNull();
    expect(await getSharedConversation(token, after)).toBeNull();
    expect(await getSharedMedia(token, firstMedia.id, after)).toBeNull();

    const past = await sharedConversation({ expiresAt: new Date(Date.now() - 1000) });
    expect(await getSharedConversation(past.token)).toBeNull();
  });

  it('an unknown token is null too', async () => {
    expect(await findLiveShareLink(newShareToken())).toBeNull();
  });
});

describe('the owner’s list', () => {
  it('lists the caller’s links only, with title, status and views', async () => {
    const live = await sharedConversation();
    const revoked = await sharedConversation();
    await revokeShareLink(owner, revoked.link.id);
    const expired = await sharedConversation({ expiresAt: new Date(Date.now() - 1000) });
    await countShareView(live.link.id);
    await countShareView(live.link.id);

    const mine = await listShareLinks(owner);
    const byId = new Map(mine.map((l) => [l.id, l]));
    expect(byId.get(live.link.id)).toMatchObject({ status: 'live', views: 2, title: 'About what is it?', url: `/share/${live.token}`, conversationId: live.conversationId });
    expect(byId.get(revoked.link.id)).toMatchObject({ status: 'revoked' });
    expect(byId.get(revoked.link.id)?.revokedAt).not.toBeNull();
    expect(byId.get(expired.link.id)).toMatchObject({ status: 'expired' });
    expect(await listShareLinks(stranger)).toEqual([]);
  });

  it('deleting the conversation deletes its links', async () => {
    const { conversationId, token } = await sharedConversation();
    expect(await deleteConversation(owner, conversationId)).toBe(true);
    expect(await findLiveShareLink(token)).toBeNull();
  });
});

describe('continue in a copy', () => {
  it('copies the snapshot into independent rows of the viewer’s', async () => {
    const { conversationId, token, firstMedia } = await sharedConversation();
    await exchange(owner, conversationId, 'after the snapshot', { images: 1 });

    const copy = await copySharedConversation(token, viewer);
    expect(copy).not.toBeNull();
    expect(copy!.conversationId).not.toBe(conversationId);

    const copied = await getConversationWithMessages(viewer, copy!.conversationId);
    expect(copied).toMatchObject({ userId: viewer, title: 'About what is it?', modelId: 'compatible:stub-vision' });
    expect(textsOf(copied!.messages)).toEqual(['what is it?', 'Answer to what is it?']);
    const original = await db().message.findMany({ where: { conversationId }, orderBy: { createdAt: 'asc' } });
    const originalIds = new Set(original.map((m) => m.id));
    expect(copied!.messages.some((m) => originalIds.has(m.id))).toBe(false);
    expect(copied!.messages[1]).toMatchObject({ role: 'assistant', status: 'complete', modelId: 'compatible:stub-vision' });
    // Copying spent nothing: the viewer is not billed for the owner's answer in usage reports.
    expect(copied!.messages[1]).toMatchObject({ inputTokens: null, outputTokens: null, costUsd: null });

    // The image: a new row of the viewer's, in the copy, on the same content-addressed blobs.
    const media = await db().media.findMany({ where: { conversationId: copy!.conversationId } });
    expect(media).toHaveLength(1);
    expect(media[0]).toMatchObject({
      userId: viewer,
      sha256: firstMedia.sha256,
      originalKey: firstMedia.originalKey,
      previewKey: firstMedia.previewKey,
      filename: firstMedia.filename,
    });
    expect(media[0].id).not.toBe(firstMedia.id);
    const fileParts = (copied!.messages[0].parts as ChatMessage['parts']).filter((p) => p.type === 'file');
    expect(fileParts).toEqual([expect.objectContaining({ type: 'file', url: mediaUrl(media[0].id) })]);

    // Independent: the original can go and the copy stays whole, and the other way round.
    expect(await deleteConversation(owner, conversationId)).toBe(true);
    expect((await getConversationWithMessages(viewer, copy!.conversationId))?.messages).toHaveLength(2);
    expect(await db().media.count({ where: { id: media[0].id, userId: viewer } })).toBe(1);
  });

  it('deleting the copy leaves the original untouched', async () => {
    const { conversationId, token, firstMedia } = await sharedConversation();
    const copy = await copySharedConversation(token, viewer);
    expect(await deleteConversation(viewer, copy!.conversationId)).toBe(true);
    expect((await getConversationWithMessages(owner, conversationId))?.messages).toHaveLength(2);
    expect(await db().media.findUnique({ where: { id: firstMedia.id } })).toMatchObject({ userId: owner, conversationId });
    expect(await getSharedConversation(token)).not.toBeNull();
  });

  it('an answer still being written in the snapshot is copied as unfinished, not as forever streaming', async () => {
    const conversationId = randomUUID();
    await saveQuestion({
      userId: owner,
      conversationId,
      newConversation: { title: 'Mid-answer', modelId: 'compatible:stub-vision' },
      message: { id: randomUUID(), parts: [{ type: 'text', text: 'slow one' }] },
      mediaIds: [],
    });
    await startAnswer({ id: randomUUID(), conversationId, modelId: 'compatible:stub-vision', detail: 'auto' });
    await sleep(5);
    const token = newShareToken();
    await createShareLink({ userId: owner, conversationId, token, expiresAt: null });

    const copy = await copySharedConversation(token, viewer);
    const copied = await getConversationWithMessages(viewer, copy!.conversationId);
    expect(copied?.messages.map((m) => m.status)).toEqual(['complete', 'error']);
    expect(copied?.messages[1].errorCode).toMatch(/not finished/);
  });

  it('a revoked or expired link cannot be copied', async () => {
    const revoked = await sharedConversation();
    await revokeShareLink(owner, revoked.link.id);
    expect(await copySharedConversation(revoked.token, viewer)).toBeNull();
    const expired = await sharedConversation({ expiresAt: new Date(Date.now() - 1000) });
    expect(await copySharedConversation(expired.token, viewer)).toBeNull();
    expect(await copySharedConversation(newShareToken(), viewer)).toBeNull();
  });
});

describe('a link to one upload’s analysis', () => {
  it('serves that upload alone: no messages, no other media of the conversation, no copy', async () => {
    const conversationId = randomUUID();
    const { media } = await exchange(owner, conversationId, 'compare these', { first: true, images: 2 });
    const [shared, other] = media;
    await prisma.media.update({ where: { id: shared.id }, data: { kind: 'audio', mediaType: 'audio/mpeg', filename: 'interview.mp3' } });
    const token = newShareToken();
    const link = await createShareLink({ userId: owner, conversationId, mediaId: shared.id, token, expiresAt: null });

    const page = await getSharedConversation(token);
    expect(page?.title).toBe('interview.mp3');
    expect(page?.messages).toEqual([]);
    expect(page?.link.media).toMatchObject({ id: shared.id, kind: 'audio', mediaType: 'audio/mpeg' });
    expect((await getSharedMedia(token, shared.id))?.id).toBe(shared.id);
    expect(await getSharedMedia(token, other.id), 'the rest of the conversation stays private').toBeNull();
    expect(await copySharedConversation(token, viewer)).toBeNull();
    expect((await listShareLinks(owner)).find((l) => l.id === link.id)).toMatchObject({ shares: 'audio', title: 'interview.mp3' });

    // The whole conversation's link still shows both, and says so.
    const whole = newShareToken();
    await createShareLink({ userId: owner, conversationId, token: whole, expiresAt: null });
    expect((await getSharedMedia(whole, other.id))?.id).toBe(other.id);
    expect((await listShareLinks(owner)).find((l) => l.url === `/share/${whole}`)?.shares).toBe('conversation');

    await revokeShareLink(owner, link.id);
    expect(await getSharedMedia(token, shared.id)).toBeNull();
  });

  it('goes when the upload goes', async () => {
    const conversationId = randomUUID();
    const { media } = await exchange(owner, conversationId, 'one video', { first: true, images: 1 });
    const token = newShareToken();
    await createShareLink({ userId: owner, conversationId, mediaId: media[0].id, token, expiresAt: null });
    await prisma.media.delete({ where: { id: media[0].id } });
    expect(await findLiveShareLink(token)).toBeNull();
  });
});
