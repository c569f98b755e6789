/**
 * ingestImage end to end against the test database and real blob stores (files under a temp
 * DATA_DIR, and the Vercel Blob client against an in-memory fake): an upload either leaves a
 * Media row with both of its blobs, or nothing at all.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { db } from '@/lib/db/client';
import type { NewMedia } from '@/lib/db/media';
import { useLocalDataDir } from '@/tests/support/data-dir';
import { ensureTestUser } from '@/tests/support/users';
import { sumUploadBytesSince } from '@/lib/db/usage';
import { ingestImage, withdrawUpload } from '@/lib/uploads/image';
import { testPrisma } from '@/tests/support/db';
import { startFakeVercelBlob, type FakeVercelBlob } from '@/tests/support/fake-vercel-blob';
import { acceptedFormats, decompressionBombPng, htmlPretendingToBePng, svgImage, truncatedJpeg } from '@/tests/support/images';

// A pass-through unless a test sets `gate.beforeCreate`, which lets it hold one upload between
// writing its blobs and recording its row (to interleave two uploads deterministically).
const gate = vi.hoisted(() => ({ beforeCreate: null as null | ((data: NewMedia) => Promise<void>) }));
vi.mock('@/lib/db/media', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@/lib/db/media')>();
  return {
    ...actual,
    createMedia: async (...args: Parameters<typeof actual.createMedia>) => {
      await gate.beforeCreate?.(args[0]);
      return actual.createMedia(...args);
    },
  };
});

const prisma = testPrisma();
const userId = `upload-test-${randomUUID()}`;
const data = useLocalDataDir('upload-test');
const blobRoot = () => path.join(data.dir, 'blobs');

beforeAll(async () => {
  vi.stubEnv('MAX_IMAGE_BYTES', undefined);
  vi.stubEnv('MAX_IMAGE_PIXELS', undefined);
  await ensureTestUser(userId);
});

afterAll(async () => {
  await prisma.$disconnect();
  await db().$disconnect();
});

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Random pixels: every test gets bytes no other upload in the run shares, so shared blobs never interfere. */
function uniquePixels(width = 48, height = 32) {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } });
}

const encoders = {
  jpeg: (w?: number, h?: number) => uniquePixels(w, h).jpeg().toBuffer(),
  png: (w?: number, h?: number) => uniquePixels(w, h).png().toBuffer(),
  webp: (w?: number, h?: number) => uniquePixels(w, h).webp().toBuffer(),
  gif: (w?: number, h?: number) => uniquePixels(w, h).gif().toBuffer(),
  avif: (w?: number, h?: number) => uniquePixels(w, h).avif().toBuffer(),
  tiff: (w?: number, h?: number) => uniquePixels(w, h).tiff().toBuffer(),
};

/** Every file below the blob root (temp files included), relative and sorted; [] before the first upload. */
async function blobFiles(): Promise<string[]> {
  try {
    const entries = await readdir(blobRoot(), { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile())
      .map((e) => path.relative(blobRoot(), path.join(e.parentPath, e.name)))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

const blobPath = data.blobPath;
const readBlob = (key: string) => readFile(blobPath(key)).catch(() => null);
const mediaCount = (where: { userId?: string; sha256?: string }) => prisma.media.count({ where });

describe('ingestImage: accepted images (local blob store)', () => {
  it.each(acceptedFormats)('stores a %s as one row, the untouched original and a WebP preview', async (format, mediaType) => {
    const bytes = await encoders[format](48, 32);
    const hash = sha256(bytes);
    const before = await blobFiles();

    // The name says nothing true about the content: the type comes from the bytes.
    const uploaded = await ingestImage(userId, bytes, `holiday.${format === 'jpeg' ? 'png' : 'jpg'}`);

    expect(uploaded).toMatchObject({ url: `/api/media/${uploaded.id}`, mediaType, bytes: bytes.length, width: 48, height: 32 });
    const rows = await prisma.media.findMany({ where: { sha256: hash } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: uploaded.id,
      userId,
      conversationId: null,
      mediaType,
      bytes: bytes.length,
      originalKey: `originals/${hash}`,
      previewKey: `previews/${hash}.webp`,
    });

    expect((await blobFiles()).filter((f) => !before.includes(f))).toEqual([`originals/${hash}`, `previews/${hash}.webp`]);
    const original = await readBlob(rows[0].originalKey);
    expect(original && sha256(original)).toBe(hash);
    const preview = await readBlob(rows[0].previewKey);
    expect(preview?.toString('latin1', 0, 4)).toBe('RIFF');
    expect(preview?.toString('latin1', 8, 12)).toBe('WEBP');
    expect((await sharp(preview!).metadata()).format).toBe('webp');
  });

  it('makes the preview no larger than 768 px and upright, never the original', async () => {
    const bytes = await uniquePixels(1000, 600).jpeg().withExif({ IFD0: { Make: 'GlimpseCam' } }).toBuffer();
    const uploaded = await ingestImage(userId, bytes, 'wide.jpg');
    const row = await prisma.media.findUniqueOrThrow({ where: { id: uploaded.id } });
    const preview = await sharp((await readBlob(row.previewKey))!).metadata();
    expect({ width: preview.width, height: preview.height }).toEqual({ width: 768, height: 461 });
    expect(preview.exif).toBeUndefined();
  });
});

describe('ingestImage: usage', () => {
  it('records the upload in the usage ledger, and withdrawing it does not give the bytes back', async () => {
    const since = new Date(Date.now() - 1000);
    const uploader = `usage-${randomUUID()}`;
    await ensureTestUser(uploader);
    const bytes = await encoders.png(40, 30);
    const row = await ingestImage(uploader, bytes, 'counted.png');
    expect(await sumUploadBytesSince(uploader, since)).toBe(bytes.length);
    expect(await withdrawUpload(uploader, { id: row.id, sha256: sha256(bytes) })).toBe(true);
    expect(await sumUploadBytesSince(uploader, since)).toBe(bytes.length);
  });

  it('records nothing for a refused upload', async () => {
    const since = new Date(Date.now() - 1000);
    const uploader = `usage-${randomUUID()}`;
    await ensureTestUser(uploader);
    await expect(ingestImage(uploader, htmlPretendingToBePng(), 'page.png')).rejects.toThrow();
    expect(await sumUploadBytesSince(uploader, since)).toBe(0);
  });
});

describe('ingestImage: rejected input leaves nothing behind (local blob store)', () => {
  const sizeLimit = 1000;

  it.each<[string, () => Promise<Buffer> | Buffer, string, string]>([
    ['an empty file', () => Buffer.alloc(0), 'empty.png', 'empty_file'],
    ['HTML renamed .png', htmlPretendingToBePng, 'page.png', 'unsupported_type'],
    ['a truncated JPEG', truncatedJpeg, 'cut.jpg', 'corrupt_file'],
    ['a decompression bomb', decompressionBombPng, 'bomb.png', 'too_many_pixels'],
    ['an SVG', svgImage, 'drawing.png', 'unsupported_type'],
    ['a file over MAX_IMAGE_BYTES', () => encoders.png(64, 64), 'big.png', 'too_large'],
  ])('%s → AppError %s… with no row and no blob', async (_what, make, filename, code) => {
    const bytes = await make();
    if (code === 'too_large') {
      expect(bytes.length).toBeGreaterThan(sizeLimit);
      vi.stubEnv('MAX_IMAGE_BYTES', String(sizeLimit));
    }
    try {
      const rowsBefore = await mediaCount({ userId });
      const filesBefore = await blobFiles();
      await expect(ingestImage(userId, bytes, filename)).rejects.toMatchObject({ name: 'AppError', code });
      expect(await mediaCount({ userId })).toBe(rowsBefore);
      expect(await mediaCount({ sha256: sha256(bytes) })).toBe(0);
      expect(await blobFiles()).toEqual(filesBefore);
    } finally {
      vi.stubEnv('MAX_IMAGE_BYTES', undefined);
    }
  });

  it('removes the blobs it wrote when recording the row fails (user without a User row → FK violation)', async () => {
    const ghost = `no-such-user-${randomUUID()}`;
    const bytes = await encoders.jpeg();
    const hash = sha256(bytes);
    const filesBefore = await blobFiles();
    // What was on disk when the row was about to be recorded: proof the blobs were written, so
    // their absence afterwards means they were cleaned up.
    let filesAtCreate: string[] = [];
    gate.beforeCreate = async () => {
      filesAtCreate = await blobFiles();
    };
    try {
      await expect(ingestImage(ghost, bytes, 'orphan.jpg')).rejects.not.toMatchObject({ name: 'AppError' });
    } finally {
      gate.beforeCreate = null;
    }
    expect(filesAtCreate).toEqual(expect.arrayContaining([`originals/${hash}`, `previews/${hash}.webp`]));
    expect(await mediaCount({ userId: ghost })).toBe(0);
    expect(await mediaCount({ sha256: sha256(bytes) })).toBe(0);
    expect(await blobFiles()).toEqual(filesBefore);
  });

  it('keeps blobs another row already uses when a later upload of the same bytes fails', async () => {
    const bytes = await encoders.png();
    const kept = await ingestImage(userId, bytes, 'first.png');
    const row = await prisma.media.findUniqueOrThrow({ where: { id: kept.id } });
    const filesBefore = await blobFiles();

    await expect(ingestImage(`no-such-user-${randomUUID()}`, bytes, 'second.png')).rejects.toThrow();
    expect(await blobFiles()).toEqual(filesBefore);
    expect(sha256((await readBlob(row.originalKey))!)).toBe(sha256(bytes));
    expect(await readBlob(row.previewKey)).not.toBeNull();
  });
});

/** Resolves when `promise` settles or after `ms`, whichever comes first; never rejects. */
function settledOrAfter(promise: Promise<unknown>, ms: number): Promise<void> {
  return Promise.race([promise.then(noop, noop), new Promise<void>((resolve) => setTimeout(resolve, ms))]);
}
const noop = () => {};

/**
 * Holds the next upload by `userId` between writing its blobs and recording its row, inside its
 * content lock. `reached` resolves when it is there; `release()` lets it go on.
 */
function holdUploadAtCreate() {
  let reachedCreate!: () => void;
  const reached = new Promise<void>((resolve) => (reachedCreate = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  gate.beforeCreate = async (data) => {
    if (data.userId !== userId) return;
    reachedCreate();
    await released;
  };
  return { reached, release };
}

describe('shared blobs: reference-counted by content, under a per-content lock (local blob store)', () => {
  it('shares blobs between uploads of the same bytes and frees them only with the last row', async () => {
    const bytes = await encoders.webp();
    const hash = sha256(bytes);
    const filesBefore = await blobFiles();

    const a = await ingestImage(userId, bytes, 'a.webp');
    const b = await ingestImage(userId, bytes, 'b.webp');
    expect(a.id).not.toBe(b.id);
    const [rowA, rowB] = await Promise.all([a, b].map((m) => prisma.media.findUniqueOrThrow({ where: { id: m.id } })));
    expect(rowB.originalKey).toBe(rowA.originalKey);
    expect(rowB.previewKey).toBe(rowA.previewKey);
    // One copy on disk, not two.
    expect((await blobFiles()).filter((f) => !filesBefore.includes(f))).toEqual([`originals/${hash}`, `previews/${hash}.webp`]);

    expect(await withdrawUpload(userId, rowA)).toBe(true);
    expect(await mediaCount({ sha256: hash })).toBe(1);
    expect(sha256((await readBlob(rowB.originalKey))!)).toBe(hash);
    expect(await readBlob(rowB.previewKey)).not.toBeNull();

    expect(await withdrawUpload(userId, rowB)).toBe(true);
    expect(await mediaCount({ sha256: hash })).toBe(0);
    expect(await readBlob(rowB.originalKey)).toBeNull();
    expect(await readBlob(rowB.previewKey)).toBeNull();
    expect(await blobFiles()).toEqual(filesBefore);
  });

  it("withdraws only the caller's own upload", async () => {
    const bytes = await encoders.png();
    const uploaded = await ingestImage(userId, bytes, 'mine.png');
    const row = await prisma.media.findUniqueOrThrow({ where: { id: uploaded.id } });
    expect(await withdrawUpload(`someone-else-${randomUUID()}`, row)).toBe(false);
    expect(await mediaCount({ sha256: row.sha256 })).toBe(1);
    expect(await readBlob(row.originalKey)).not.toBeNull();
    expect(await readBlob(row.previewKey)).not.toBeNull();
  });

  it('withdrawing something already gone is not an error', async () => {
    await expect(withdrawUpload(userId, { id: randomUUID(), sha256: '0'.repeat(64) })).resolves.toBe(false);
  });

  // Upload A (a real user) has put its blobs but not yet recorded its row; upload B of the same
  // bytes fails at createMedia. Without a lock, B saw no row using the blobs and deleted them,
  // and A then recorded a row whose blobs were gone. B now waits for A's lock, and then sees A's row.
  it('keeps the blobs of a concurrent upload of the same bytes when another upload of them fails', async () => {
    const bytes = await encoders.jpeg();
    const a = holdUploadAtCreate();
    try {
      const uploadA = ingestImage(userId, bytes, 'a.jpg');
      await a.reached; // A's blobs are written; its row is not.
      const uploadB = ingestImage(`no-such-user-${randomUUID()}`, bytes, 'b.jpg');
      // Long enough for B to fail and clean up, were it not waiting for A.
      await settledOrAfter(uploadB, 1000);
      a.release();
      await expect(uploadB).rejects.toThrow();
      const uploaded = await uploadA;
      const row = await prisma.media.findUniqueOrThrow({ where: { id: uploaded.id } });
      expect(sha256((await readBlob(row.originalKey))!)).toBe(sha256(bytes));
      expect(await readBlob(row.previewKey)).not.toBeNull();
    } finally {
      gate.beforeCreate = null;
    }
  });

  // The same window for DELETE /api/media/[id]: the last existing row of these bytes is withdrawn
  // while upload A of the same bytes has put its blobs but not yet recorded its row.
  it('keeps the blobs of a concurrent upload of the same bytes when the last other row is withdrawn', async () => {
    const bytes = await encoders.jpeg();
    const existing = await ingestImage(userId, bytes, 'first.jpg');
    const a = holdUploadAtCreate();
    try {
      const uploadA = ingestImage(userId, bytes, 'again.jpg');
      await a.reached;
      const withdrawal = withdrawUpload(userId, { id: existing.id, sha256: sha256(bytes) });
      await settledOrAfter(withdrawal, 1000);
      a.release();
      expect(await withdrawal).toBe(true);
      const uploaded = await uploadA;
      const row = await prisma.media.findUniqueOrThrow({ where: { id: uploaded.id } });
      expect(await mediaCount({ sha256: sha256(bytes) })).toBe(1);
      expect(sha256((await readBlob(row.originalKey))!)).toBe(sha256(bytes));
      expect(await readBlob(row.previewKey)).not.toBeNull();
    } finally {
      gate.beforeCreate = null;
    }
  });
});

describe('ingestImage with the Vercel Blob backend', () => {
  let fake: FakeVercelBlob;
  let vercel: typeof import('@/lib/uploads/image');

  beforeAll(async () => {
    fake = await startFakeVercelBlob();
    vi.stubEnv('BLOB_READ_WRITE_TOKEN', fake.token);
    vi.stubEnv('VERCEL_BLOB_API_URL', fake.url);
    // A wrong answer from the fake would otherwise be retried for minutes.
    vi.stubEnv('VERCEL_BLOB_RETRIES', '0');
    // A fresh module graph, so getBlobStore() is not the local store memoized above.
    vi.resetModules();
    vercel = await import('@/lib/uploads/image');
  });

  afterAll(async () => {
    vi.stubEnv('BLOB_READ_WRITE_TOKEN', undefined);
    vi.resetModules();
    await fake?.stop();
  });

  const snapshot = () => new Map([...fake.objects].map(([key, blob]) => [key, sha256(blob.body)]));

  it('stores the original and the preview as private blobs', async () => {
    const bytes = await encoders.png();
    const hash = sha256(bytes);
    const uploaded = await vercel.ingestImage(userId, bytes, 'cloud.png');
    expect(await mediaCount({ sha256: hash })).toBe(1);
    const original = fake.objects.get(`originals/${hash}`);
    const preview = fake.objects.get(`previews/${hash}.webp`);
    expect(original && sha256(original.body)).toBe(hash);
    expect(original).toMatchObject({ contentType: 'image/png', access: 'private' });
    expect(preview).toMatchObject({ contentType: 'image/webp', access: 'private' });
    expect(uploaded.mediaType).toBe('image/png');
    // Nothing went to the local store.
    expect((await blobFiles()).some((f) => f.includes(hash))).toBe(false);
  });

  it('leaves the store untouched when the row cannot be recorded', async () => {
    const bytes = await encoders.jpeg();
    const before = snapshot();
    const putsBefore = fake.requests.filter((r) => r.method === 'PUT').length;
    await expect(vercel.ingestImage(`no-such-user-${randomUUID()}`, bytes, 'orphan.jpg')).rejects.toThrow();
    // Blobs were written and then removed, not simply never written.
    expect(fake.requests.filter((r) => r.method === 'PUT').length).toBe(putsBefore + 2);
    expect(snapshot()).toEqual(before);
    expect(await mediaCount({ sha256: sha256(bytes) })).toBe(0);
  });

  it('writes nothing for input rejected by validation', async () => {
    const before = snapshot();
    const requestsBefore = fake.requests.length;
    await expect(vercel.ingestImage(userId, await truncatedJpeg(), 'cut.jpg')).rejects.toMatchObject({ name: 'AppError', code: 'corrupt_file' });
    expect(fake.requests.length).toBe(requestsBefore);
    expect(snapshot()).toEqual(before);
  });

  it('keeps shared blobs until the last row using them is gone', async () => {
    const bytes = await encoders.gif();
    const hash = sha256(bytes);
    const a = await vercel.ingestImage(userId, bytes, 'a.gif');
    const b = await vercel.ingestImage(userId, bytes, 'b.gif');
    const keys = [`originals/${hash}`, `previews/${hash}.webp`];
    expect(await vercel.withdrawUpload(userId, { id: a.id, sha256: hash })).toBe(true);
    expect(keys.every((k) => fake.objects.has(k))).toBe(true);
    expect(await vercel.withdrawUpload(userId, { id: b.id, sha256: hash })).toBe(true);
    expect(keys.some((k) => fake.objects.has(k))).toBe(false);
  });
});
