/**
 * "Continue in a copy" against the real database and blob store: the copy is the viewer's own,
 * independent of the original, and holds only what the share page served, never the original.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '@/lib/chat/types';
import { mediaUrl } from '@/lib/chat/types';
import { db } from '@/lib/db/client';
import { deleteConversation, getConversationWithMessages } from '@/lib/db/conversations';
import { saveQuestion, startAnswer } from '@/lib/db/messages';
import { createShareLink, getSharedConversation, revokeShareLink } from '@/lib/db/share-links';
import { sha256 } from '@/lib/media/hash';
import { continueInCopy } from '@/lib/share/copy';
import { newShareToken } from '@/lib/share/links';
import { getBlobStore } from '@/lib/storage';
import { ingestImage } from '@/lib/uploads/image';
import { useLocalDataDir } from '@/tests/support/data-dir';
import { photoWithGps } from '@/tests/support/images';
import { shareFixtures, textsOf } from '@/tests/support/shares';
import { ensureTestUser } from '@/tests/support/users';

useLocalDataDir('share-copy');
const owner = `copy-owner-${randomUUID()}`;
const viewer = `copy-viewer-${randomUUID()}`;

/** A real upload: a photo with GPS tags, its original and preview in the blob store. */
async function upload(userId: string) {
  const { id } = await ingestImage(userId, await photoWithGps(1600, 1200, `#${randomUUID().slice(0, 6)}`), 'holiday.jpg');
  return db().media.findUniqueOrThrow({ where: { id } });
}
const { exchange, sharedConversation } = shareFixtures(owner, upload);

beforeAll(async () => {
  await ensureTestUser(owner);
  await ensureTestUser(viewer, { anonymous: false });
});

afterAll(async () => {
  await db().$disconnect();
});

describe('continue in a copy', () => {
  it('copies the snapshot into independent rows of the viewer’s', async () => {
    const { conversationId, token, firstMedia } = await sharedConversation();
    await exchange(owner, conversationId, 'after the snapshot', { images: 1 });

    const copy = await continueInCopy(token, viewer);
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

    // The image: a new row of the viewer's, in the copy, holding what the share page showed (the
    // preview), never the owner's original with its GPS tags.
    const media = await db().media.findMany({ where: { conversationId: copy!.conversationId } });
    expect(media).toHaveLength(1);
    expect(media[0]).toMatchObject({ userId: viewer, filename: firstMedia.filename, mediaType: 'image/webp', playbackKey: null });
    expect(media[0].sha256).not.toBe(firstMedia.sha256);
    expect(media[0].originalKey).not.toBe(firstMedia.originalKey);
    const preview = (await getBlobStore().get(firstMedia.previewKey))!;
    const copiedOriginal = (await getBlobStore().get(media[0].originalKey))!;
    expect(copiedOriginal.equals(preview)).toBe(true);
    expect(media[0]).toMatchObject({ bytes: preview.length, sha256: sha256(preview) });
    expect((await sharp(copiedOriginal).metadata()).exif, 'no EXIF, no GPS').toBeUndefined();
    expect(Math.max(media[0].width, media[0].height)).toBeLessThan(Math.max(firstMedia.width, firstMedia.height));
    expect(media[0].id).not.toBe(firstMedia.id);
    const fileParts = (copied!.messages[0].parts as ChatMessage['parts']).filter((p) => p.type === 'file');
    expect(fileParts).toEqual([expect.objectContaining({ type: 'file', url: mediaUrl(media[0].id) })]);

    // Independent: the original can go and the copy stays whole, and the other way round.
    expect(await deleteConversation(owner, conversationId)).toBe(true);
    expect((await getConversationWithMessages(viewer, copy!.conversationId))?.messages).toHaveLength(2);
    expect(await db().media.count({ where: { id: media[0].id, userId: viewer } })).toBe(1);
    expect(await getBlobStore().get(media[0].originalKey)).not.toBeNull();
  });

  it('deleting the copy leaves the original untouched', async () => {
    const { conversationId, token, firstMedia } = await sharedConversation();
    const copy = await continueInCopy(token, viewer);
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

    const copy = await continueInCopy(token, viewer);
    const copied = await getConversationWithMessages(viewer, copy!.conversationId);
    expect(copied?.messages.map((m) => m.status)).toEqual(['complete', 'error']);
    expect(copied?.messages[1].errorCode).toMatch(/not finished/);
  });

  it('a revoked or expired link cannot be copied', async () => {
    const revoked = await sharedConversation();
    await revokeShareLink(owner, revoked.link.id);
    expect(await continueInCopy(revoked.token, viewer)).toBeNull();
    const expired = await sharedConversation({ expiresAt: new Date(Date.now() - 1000) });
    expect(await continueInCopy(expired.token, viewer)).toBeNull();
    expect(await continueInCopy(newShareToken(), viewer)).toBeNull();
  });
});


describe('a shared video in a copy', () => {
  /** A processed video as the job leaves it: original (with a location tag), poster, playback copy, frames. */
  async function processedVideo(userId: string, opts: { processed?: boolean; frameBlobs?: boolean } = {}) {
    const store = getBlobStore();
    const original = Buffer.from(`original video bytes with a location tag ${randomUUID()}`);
    const playback = Buffer.from(`metadata-free playback copy ${randomUUID()}`);
    const hash = sha256(original);
    const poster = await sharp({ create: { width: 64, height: 36, channels: 3, background: '#204060' } }).webp().toBuffer();
    await store.put(`originals/${hash}`, original, 'video/mp4');
    await store.put(`previews/${hash}.webp`, poster, 'image/webp');
    if (opts.processed !== false) await store.put(`playback/${hash}.mp4`, playback, 'video/mp4');
    const media = await db().media.create({
      data: {
        userId,
        sha256: hash,
        kind: 'video',
        mediaType: 'video/mp4',
        filename: 'where-i-live.mp4',
        bytes: original.length,
        width: 1280,
        height: 720,
        durationMs: 8000,
        originalKey: `originals/${hash}`,
        previewKey: `previews/${hash}.webp`,
        playbackKey: opts.processed !== false ? `playback/${hash}.mp4` : null,
      },
    });
    if (opts.processed !== false) {
      await db().videoJob.create({ data: { mediaId: media.id, modelId: 'compatible:stub-vision', settings: {}, status: 'succeeded', framesDone: true, summary: 'A street.' } });
      for (const index of [0, 1]) {
        const thumbKey = `frames/${hash}/abc/${index}.jpg`;
        if (opts.frameBlobs !== false) await store.put(thumbKey, Buffer.from(`frame ${index}`), 'image/jpeg');
        await db().videoFrame.create({ data: { mediaId: media.id, index, timeMs: index * 4000, endMs: 8000, reason: 'scene', hash: '0'.repeat(16), thumbKey, width: 64, height: 36 } });
      }
    }
    return { media, playback };
  }

  async function sharedVideo(opts: { processed?: boolean; frameBlobs?: boolean } = {}) {
    const conversationId = randomUUID();
    const { media, playback } = await processedVideo(owner, opts);
    await saveQuestion({
      userId: owner,
      conversationId,
      newConversation: { title: 'A video', modelId: 'compatible:stub-vision' },
      message: { id: randomUUID(), parts: [{ type: 'file', mediaType: 'video/mp4', url: mediaUrl(media.id), filename: media.filename }, { type: 'text', text: 'where?' }] },
      mediaIds: [media.id],
    });
    await sleep(5);
    const token = newShareToken();
    await createShareLink({ userId: owner, conversationId, token, expiresAt: null });
    return { media, playback, token };
  }

  it('carries the playback copy, poster and frames under its own content, never the original', async () => {
    const { media, playback, token } = await sharedVideo();
    const copy = await continueInCopy(token, viewer);
    const [copied] = await db().media.findMany({ where: { conversationId: copy!.conversationId }, include: { frames: true, videoJob: true } });
    expect(copied).toMatchObject({ kind: 'video', mediaType: 'video/mp4', durationMs: 8000, sha256: sha256(playback), bytes: playback.length });
    const store = getBlobStore();
    expect((await store.get(copied.originalKey))!.equals(playback), 'the copy’s original is the playback copy').toBe(true);
    expect((await store.get(copied.playbackKey!))!.equals(playback)).toBe(true);
    expect(copied.originalKey).not.toBe(media.originalKey);
    expect(copied.videoJob).toMatchObject({ status: 'succeeded', summary: 'A street.', modelCalls: 0 });
    expect(copied.frames.map((f) => f.thumbKey).sort()).toEqual([`frames/${copied.sha256}/abc/0.jpg`, `frames/${copied.sha256}/abc/1.jpg`]);
    for (const frame of copied.frames) expect((await store.get(frame.thumbKey))?.toString()).toBe(`frame ${frame.index}`);

    // The owner deleting theirs takes nothing from the copy.
    await db().media.delete({ where: { id: media.id } });
    expect(await store.get(copied.originalKey)).not.toBeNull();
  });

  it('leaves out a video not processed yet (the share page cannot play it either), with its parts', async () => {
    const { token } = await sharedVideo({ processed: false });
    const copy = await continueInCopy(token, viewer);
    expect(await db().media.count({ where: { conversationId: copy!.conversationId } })).toBe(0);
    const copied = await getConversationWithMessages(viewer, copy!.conversationId);
    expect((copied!.messages[0].parts as ChatMessage['parts']).map((p) => p.type)).toEqual(['text']);
  });

  it('a copy that fails half-way leaves no conversation, no row and no blob', async () => {
    const { playback, token } = await sharedVideo({ frameBlobs: false });
    const before = await db().conversation.count({ where: { userId: viewer } });
    await expect(continueInCopy(token, viewer)).rejects.toThrow(/missing from storage/);
    expect(await db().conversation.count({ where: { userId: viewer } })).toBe(before);
    expect(await db().media.count({ where: { sha256: sha256(playback) } })).toBe(0);
    expect(await getBlobStore().get(`originals/${sha256(playback)}`), 'the staged original is freed again').toBeNull();
  });
});
