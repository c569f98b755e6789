/**
 * The share-scoped video routes, called as Next calls them, against the real database and local blob
 * storage: a live link gives a video's view with every URL share-scoped and no stream, and its scene
 * frames; anything else (a revoked, expired or unknown link, a video outside the snapshot or in another
 * conversation, an image, a frame index the video lacks) is the same 404.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as getSharedMediaRoute } from '@/app/share/[token]/media/[mediaId]/route';
import { GET as getFrame } from '@/app/share/[token]/videos/[mediaId]/frames/[index]/route';
import { GET as getVideo } from '@/app/share/[token]/videos/[mediaId]/route';
import { mediaUrl, type ChatMessage } from '@/lib/chat/types';
import { db } from '@/lib/db/client';
import { createMedia } from '@/lib/db/media';
import { finishAnswer, saveQuestion, startAnswer } from '@/lib/db/messages';
import { createShareLink, revokeShareLink } from '@/lib/db/share-links';
import { notFoundMessage } from '@/lib/errors';
import { newShareToken } from '@/lib/share/links';
import { getBlobStore } from '@/lib/storage';
import type { VideoView } from '@/lib/video/view';
import { useLocalDataDir } from '@/tests/support/data-dir';
import { ensureTestUser } from '@/tests/support/users';

useLocalDataDir('share-video');
const owner = `share-video-owner-${randomUUID()}`;
const FRAMES = 3;

beforeAll(async () => {
  await ensureTestUser(owner);
});

afterAll(async () => {
  await db().$disconnect();
});

const jpeg = (color: string) => sharp({ create: { width: 64, height: 36, channels: 3, background: color } }).jpeg().toBuffer();

/** A processed video as the pipeline leaves it: Media row, poster, a succeeded job and FRAMES frames with their JPEGs. */
async function processedVideo() {
  const sha256 = randomUUID().replace(/-/g, '').padEnd(64, '0');
  const store = getBlobStore();
  const previewKey = `previews/${sha256}.webp`;
  await store.put(previewKey, await sharp({ create: { width: 64, height: 36, channels: 3, background: '#123456' } }).webp().toBuffer(), 'image/webp');
  const media = await createMedia({
    userId: owner,
    sha256,
    mediaType: 'video/mp4',
    filename: 'clip.mp4',
    bytes: 4321,
    width: 320,
    height: 180,
    originalKey: `originals/${sha256}`,
    previewKey,
    kind: 'video',
    durationMs: 6000,
  });
  await db().videoJob.create({
    data: { mediaId: media.id, modelId: 'compatible:stub-vision', settings: {}, status: 'succeeded', stage: 'done', progress: 1, framesDone: true, summary: 'A test clip.' },
  });
  const thumbs: Buffer[] = [];
  for (let index = 0; index < FRAMES; index++) {
    const thumbKey = `frames/${sha256}/${index}.jpg`;
    const data = await jpeg(['#ff0000', '#00ff00', '#0000ff'][index]);
    await store.put(thumbKey, data, 'image/jpeg');
    thumbs.push(data);
    await db().videoFrame.create({
      data: { mediaId: media.id, index, timeMs: index * 2000, endMs: (index + 1) * 2000, reason: index ? 'scene' : 'first', hash: `${index}`.repeat(16), thumbKey, width: 64, height: 36, caption: `Scene ${index}` },
    });
  }
  return { media, thumbs };
}

/** Sends a question with these media and a finished answer. */
async function exchange(conversationId: string, media: { id: string; mediaType: string; filename: string }[], first = false) {
  const parts: ChatMessage['parts'] = [
    ...media.map((m) => ({ type: 'file' as const, mediaType: m.mediaType, url: mediaUrl(m.id), filename: m.filename })),
    { type: 'text' as const, text: 'What happens?' },
  ];
  await saveQuestion({
    userId: owner,
    conversationId,
    newConversation: first ? { title: 'A shared video', modelId: 'compatible:stub-vision' } : null,
    message: { id: randomUUID(), parts },
    mediaIds: media.map((m) => m.id),
  });
  const answerId = randomUUID();
  await startAnswer({ id: answerId, conversationId, modelId: 'compatible:stub-vision', detail: 'auto' });
  await finishAnswer(answerId, { text: 'At [00:02] it changes.', status: 'complete', modelId: 'compatible:stub-vision', inputTokens: 1, outputTokens: 1, costUsd: 0, latencyMs: 1, cached: false, error: null });
}

/** A conversation about one processed video (and one image), shared. */
async function sharedVideoConversation(opts: { expiresAt?: Date | null } = {}) {
  const conversationId = randomUUID();
  const video = await processedVideo();
  const image = await createMedia({
    userId: owner,
    sha256: randomUUID().replace(/-/g, '').padEnd(64, '1'),
    mediaType: 'image/jpeg',
    filename: 'photo.jpg',
    bytes: 10,
    width: 10,
    height: 10,
    originalKey: 'originals/x',
    previewKey: 'previews/x.webp',
  });
  await exchange(conversationId, [video.media, image], true);
  await sleep(5);
  const token = newShareToken();
  const link = await createShareLink({ userId: owner, conversationId, token, expiresAt: opts.expiresAt ?? null });
  await sleep(5);
  return { conversationId, token, link, video, image };
}

const videoOf = (token: string, mediaId: string) =>
  getVideo(new Request(`http://localhost/share/${token}/videos/${mediaId}`), { params: Promise.resolve({ token, mediaId }) });

const frameOf = (token: string, mediaId: string, index: string | number, headers?: HeadersInit) =>
  getFrame(new Request(`http://localhost/share/${token}/videos/${mediaId}/frames/${index}`, { headers }), {
    params: Promise.resolve({ token, mediaId, index: String(index) }),
  });

async function expectNotFound(response: Response) {
  expect(response.status).toBe(404);
  expect(JSON.stringify(await response.json())).toContain(notFoundMessage.video);
}

describe('a live link', () => {
  it('gives the video’s view with share-scoped URLs and no stream', async () => {
    const { token, video } = await sharedVideoConversation();
    const id = video.media.id;
    const response = await videoOf(token, id);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    const view = (await response.json()) as VideoView;
    expect(view).toMatchObject({
      id,
      filename: 'clip.mp4',
      durationMs: 6000,
      width: 320,
      height: 180,
      streamUrl: null,
      posterUrl: `/share/${token}/media/${id}`,
      job: { status: 'succeeded', stage: 'done', progress: 1, error: null, summary: 'A test clip.' },
      // No sound transcribed; its downloads would go through the link, and viewers cannot translate.
      transcript: null,
      transcriptUrl: `/share/${token}/media/${id}/transcript`,
      translationsUrl: null,
    });
    expect(view.scenes).toEqual(
      Array.from({ length: FRAMES }, (_, index) => ({
        index,
        startMs: index * 2000,
        endMs: (index + 1) * 2000,
        caption: `Scene ${index}`,
        speech: null,
        thumbUrl: `/share/${token}/videos/${id}/frames/${index}`,
      })),
    );
    // Nothing points at the owner's routes.
    expect(JSON.stringify(view)).not.toContain('/api/');

    // The poster, through the existing shared media route (a video's preview is its poster).
    const poster = await getSharedMediaRoute(new Request(`http://localhost${view.posterUrl}`), { params: Promise.resolve({ token, mediaId: id }) });
    expect(poster.status).toBe(200);
    expect(poster.headers.get('content-type')).toBe('image/webp');
  });

  it('serves each scene’s frame as a JPEG, revalidated by ETag like the shared images', async () => {
    const { token, video } = await sharedVideoConversation();
    for (let index = 0; index < FRAMES; index++) {
      const response = await frameOf(token, video.media.id, index);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/jpeg');
      expect(response.headers.get('cache-control')).toBe('private, no-cache');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(Buffer.from(await response.arrayBuffer()).equals(video.thumbs[index])).toBe(true);
    }
    const first = await frameOf(token, video.media.id, 0);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    expect((await frameOf(token, video.media.id, 1)).headers.get('etag')).not.toBe(etag);
    const again = await frameOf(token, video.media.id, 0, { 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.text()).toBe('');
  });

  it('404s a frame index the video does not have, or one that is not an index', async () => {
    const { token, video } = await sharedVideoConversation();
    for (const index of [FRAMES, 99, -1, 'x', '1.5', '100001']) await expectNotFound(await frameOf(token, video.media.id, index));
  });
});

describe('everything else is the same 404', () => {
  it('a revoked link stops the view and the frames at once', async () => {
    const { token, link, video } = await sharedVideoConversation();
    const before = await frameOf(token, video.media.id, 0);
    expect(before.status).toBe(200);
    expect(await revokeShareLink(owner, link.id)).toBe(true);
    await expectNotFound(await videoOf(token, video.media.id));
    await expectNotFound(await frameOf(token, video.media.id, 0));
    // Revalidating a cached frame fails too: no 304 for a dead link.
    await expectNotFound(await frameOf(token, video.media.id, 0, { 'if-none-match': before.headers.get('etag')! }));
  });

  it('an expired, unknown or malformed token', async () => {
    const expired = await sharedVideoConversation({ expiresAt: new Date(Date.now() - 1000) });
    await expectNotFound(await videoOf(expired.token, expired.video.media.id));
    await expectNotFound(await frameOf(expired.token, expired.video.media.id, 0));
    const { video } = await sharedVideoConversation();
    for (const token of [newShareToken(), 'not-a-token', `${newShareToken()}x`]) {
      await expectNotFound(await videoOf(token, video.media.id));
      await expectNotFound(await frameOf(token, video.media.id, 0));
    }
  });

  it('another conversation’s video, a video sent after the snapshot, an image, an unknown id', async () => {
    const shared = await sharedVideoConversation();
    const other = await sharedVideoConversation();
    // Each link shows its own video…
    expect((await videoOf(other.token, other.video.media.id)).status).toBe(200);
    // …and not the other's, although both are live.
    await expectNotFound(await videoOf(shared.token, other.video.media.id));
    await expectNotFound(await frameOf(shared.token, other.video.media.id, 0));
    await expectNotFound(await videoOf(other.token, shared.video.media.id));

    const later = await processedVideo();
    await exchange(shared.conversationId, [later.media]);
    await expectNotFound(await videoOf(shared.token, later.media.id));
    await expectNotFound(await frameOf(shared.token, later.media.id, 0));

    // An image of the snapshot is served by the media route, but it is not a video.
    await expectNotFound(await videoOf(shared.token, shared.image.id));
    await expectNotFound(await frameOf(shared.token, shared.image.id, 0));
    await expectNotFound(await videoOf(shared.token, randomUUID()));
    await expectNotFound(await videoOf(shared.token, 'not-a-uuid'));
  });
});
