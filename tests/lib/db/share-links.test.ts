/**
 * Share links against the real database: what a link shows (its snapshot, nothing later), which
 * images it may serve, and that revoked and expired links resolve to nothing.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { deleteConversation, getConversationWithMessages } from '@/lib/db/conversations';
import {
  countShareView,
  createShareLink,
  findLiveShareLink,
  getSharedConversation,
  getSharedMedia,
  listShareLinks,
  revokeShareLink,
  sharedUploadsForCopy,
} from '@/lib/db/share-links';
import { newShareToken } from '@/lib/share/links';
import { testPrisma } from '@/tests/support/db';
import { mediaRow, shareFixtures, textsOf } from '@/tests/support/shares';
import { ensureTestUser } from '@/tests/support/users';

const prisma = testPrisma();
const owner = `share-owner-${randomUUID()}`;
const stranger = `share-stranger-${randomUUID()}`;

beforeAll(async () => {
  await ensureTestUser(owner);
  await ensureTestUser(stranger);
});

afterAll(async () => {
  await prisma.$disconnect();
  await db().$disconnect();
});

const { exchange, sharedConversation } = shareFixtures(owner);

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
    const unsent = await mediaRow(owner);
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
    expect(await sharedUploadsForCopy(token), 'nothing to continue').toBeNull();
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
