/**
 * Uploads left in an abandoned composer are removed after a day, with their blobs — but never
 * an image that was sent, nor a blob another upload still uses.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { saveQuestion } from '@/lib/db/messages';
import { useLocalDataDir } from '@/tests/support/data-dir';
import { ensureTestUser } from '@/tests/support/users';
import { ingestImage, sweepUnsentUploads } from '@/lib/uploads/image';
import { testPrisma } from '@/tests/support/db';
import { landscapeJpeg, photoWithGps } from '@/tests/support/images';

const data = useLocalDataDir('sweep-test');
const prisma = testPrisma();
const userId = `sweep-test-${randomUUID()}`;
const DAY = 24 * 60 * 60 * 1000;
const blobExists = (key: string) => fs.existsSync(data.blobPath(key));

beforeAll(() => ensureTestUser(userId));

afterAll(async () => {
  await prisma.$disconnect();
  await db().$disconnect();
});

it('removes day-old unsent uploads and their blobs, and nothing else', async () => {
  const abandoned = await ingestImage(userId, await landscapeJpeg(640, 427), 'abandoned.jpg');
  const sameBytesFresh = await ingestImage(userId, await photoWithGps(320, 240, '#123456'), 'fresh.jpg');
  const sameBytesOld = await ingestImage(userId, await photoWithGps(320, 240, '#123456'), 'old-copy.jpg');
  const sent = await ingestImage(userId, await photoWithGps(300, 200, '#654321'), 'sent.jpg');
  const conversationId = randomUUID();
  await saveQuestion({
    userId,
    conversationId,
    newConversation: { title: 'sent', modelId: 'compatible:stub-vision' },
    message: { id: randomUUID(), parts: [{ type: 'file', mediaType: 'image/jpeg', url: sent.url }] },
    mediaIds: [sent.id],
  });
  const old = new Date(Date.now() - 2 * DAY);
  await prisma.media.updateMany({ where: { id: { in: [abandoned.id, sameBytesOld.id, sent.id] } }, data: { createdAt: old } });
  const rows = await prisma.media.findMany({ where: { id: { in: [abandoned.id, sameBytesFresh.id, sent.id] } } });
  const keys = Object.fromEntries(rows.map((m) => [m.id, [m.originalKey, m.previewKey]]));

  // Other tests share the database: count only what this test made.
  await sweepUnsentUploads();

  const left = (await prisma.media.findMany({ where: { userId } })).map((m) => m.id).sort();
  expect(left).toEqual([sameBytesFresh.id, sent.id].sort());
  expect(keys[abandoned.id].map(blobExists)).toEqual([false, false]);
  // The old copy's blobs are the fresh upload's blobs too (same bytes): they stay.
  expect(keys[sameBytesFresh.id].map(blobExists)).toEqual([true, true]);
  expect(keys[sent.id].map(blobExists)).toEqual([true, true]);
});
