import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BlobAccessError, BlobStoreNotFoundError } from '@vercel/blob';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLocalBlobStore } from '@/lib/storage/local';
import type { BlobStore } from '@/lib/storage/types';
import { createVercelBlobStore } from '@/lib/storage/vercel-blob';
import { startFakeVercelBlob, type FakeVercelBlob } from '@/tests/support/fake-vercel-blob';

// Every byte value, so text decoding or newline handling anywhere on the path would show.
const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

const badKeys = ['', '../x', '/etc/passwd', 'a/../../b', './a', 'a/./b', 'a//b', 'a/', 'a\\b', '..\\x', 'a\0b', 'x'.repeat(513)];

interface Backend {
  store: BlobStore;
  close(): Promise<void>;
}

async function openLocal(): Promise<Backend & { dir: string; root: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-blob-test-'));
  const root = path.join(dir, 'blobs');
  return { dir, root, store: createLocalBlobStore(root), close: () => rm(dir, { recursive: true, force: true }) };
}

async function openVercel(prefix?: string): Promise<Backend & { fake: FakeVercelBlob }> {
  const fake = await startFakeVercelBlob();
  // The client reads both on every call, so stubbing after import is early enough.
  vi.stubEnv('VERCEL_BLOB_API_URL', fake.url);
  // A fake that answered wrongly would otherwise be retried for minutes before the test failed.
  vi.stubEnv('VERCEL_BLOB_RETRIES', '0');
  return {
    fake,
    store: createVercelBlobStore({ token: fake.token, prefix }),
    close: async () => {
      vi.unstubAllEnvs();
      await fake.stop();
    },
  };
}

// toEqual walks a Buffer element by element: seconds for a megabyte. A digest compares as surely.
function sha256(data: Buffer | null): string | null {
  return data && createHash('sha256').update(data).digest('hex');
}

/** Files (not directories) below `dir`, relative and sorted. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

describe.each([
  { kind: 'local', open: () => openLocal() },
  { kind: 'vercel-blob', open: () => openVercel() },
])('BlobStore contract: $kind', ({ kind, open }) => {
  let backend: Backend;
  let store: BlobStore;

  beforeEach(async () => {
    backend = await open();
    store = backend.store;
  });
  afterEach(() => backend.close());

  it('reports its kind', () => {
    expect(store.kind).toBe(kind);
  });

  it('round-trips binary data byte for byte', async () => {
    const large = randomBytes(1024 * 1024 + 17);
    await store.put('originals/every-byte', everyByte, 'application/octet-stream');
    await store.put('originals/large.bin', large, 'image/png');

    expect(await store.get('originals/every-byte')).toEqual(everyByte);
    expect(sha256(await store.get('originals/large.bin'))).toBe(sha256(large));
  });

  it('returns null for a key that was never written', async () => {
    expect(await store.get('originals/missing')).toBeNull();
  });

  it('overwrites an existing key', async () => {
    await store.put('thumbs/a.webp', Buffer.from('first version'), 'image/webp');
    await store.put('thumbs/a.webp', Buffer.from('second'), 'image/webp');

    expect(await store.get('thumbs/a.webp')).toEqual(Buffer.from('second'));
  });

  it('deletes a key, and deleting a missing key is not an error', async () => {
    await store.put('originals/gone', everyByte, 'image/jpeg');
    await store.put('originals/kept', everyByte, 'image/jpeg');

    await store.delete('originals/gone');
    await store.delete('originals/gone');
    await store.delete('never/written');

    expect(await store.get('originals/gone')).toBeNull();
    expect(await store.get('originals/kept')).toEqual(everyByte);
  });

  it('holds no blob at a key that only prefixes other keys', async () => {
    await store.put('dir/inner', everyByte, 'image/png');

    expect(await store.get('dir')).toBeNull();
    await store.delete('dir');
    expect(await store.get('dir/inner')).toEqual(everyByte);
  });

  it('streams a file in and reads it back whole or by byte range', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-putfile-'));
    try {
      const large = randomBytes(3 * 1024 * 1024 + 5);
      const file = path.join(dir, 'video.mp4');
      await writeFile(file, large);
      await store.putFile('originals/video', file, 'video/mp4');

      const whole = await store.read('originals/video');
      expect(whole).toMatchObject({ size: large.length, start: 0, end: large.length - 1 });
      expect(sha256(Buffer.from(await new Response(whole!.stream).arrayBuffer()))).toBe(sha256(large));

      const part = await store.read('originals/video', { start: 1000, end: 1999 });
      expect(part).toMatchObject({ size: large.length, start: 1000, end: 1999 });
      expect(Buffer.from(await new Response(part!.stream).arrayBuffer())).toEqual(large.subarray(1000, 2000));

      const tail = await store.read('originals/video', { start: large.length - 10 });
      expect(Buffer.from(await new Response(tail!.stream).arrayBuffer())).toEqual(large.subarray(-10));
      expect(await store.read('originals/missing')).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('deletes everything below a prefix and nothing beside it', async () => {
    await store.put('frames/abc/1/0.jpg', everyByte, 'image/jpeg');
    await store.put('frames/abc/1/1.jpg', everyByte, 'image/jpeg');
    await store.put('frames/abcd/0.jpg', everyByte, 'image/jpeg');

    await store.deletePrefix('frames/abc');
    await store.deletePrefix('frames/never');

    expect(await store.get('frames/abc/1/0.jpg')).toBeNull();
    expect(await store.get('frames/abc/1/1.jpg')).toBeNull();
    expect(await store.get('frames/abcd/0.jpg')).toEqual(everyByte);
  });

  it('lists the keys below a folder written before a time', async () => {
    await store.put('incoming/u1/a', everyByte, 'video/mp4');
    await store.put('incoming/u2/b', everyByte, 'video/mp4');
    await store.put('incomingx/c', everyByte, 'video/mp4');
    await store.put('originals/d', everyByte, 'video/mp4');

    expect((await store.listOlderThan('incoming', new Date(Date.now() + 60_000))).sort()).toEqual(['incoming/u1/a', 'incoming/u2/b']);
    expect(await store.listOlderThan('incoming', new Date(Date.now() - 60_000))).toEqual([]);
    expect(await store.listOlderThan('incoming', new Date(Date.now() + 60_000), 1)).toHaveLength(1);
    expect(await store.listOlderThan('never', new Date())).toEqual([]);
  });

  it('passes check()', async () => {
    await expect(store.check()).resolves.toBeUndefined();
  });

  it.each(badKeys.map((key) => ({ key, shown: JSON.stringify(key).slice(0, 24) })))(
    'rejects the malformed key $shown in every operation',
    async ({ key }) => {
      await expect(store.put(key, everyByte, 'image/png')).rejects.toThrow(/Invalid blob key/);
      await expect(store.get(key)).rejects.toThrow(/Invalid blob key/);
      await expect(store.delete(key)).rejects.toThrow(/Invalid blob key/);
    },
  );
});

describe('local BlobStore on disk', () => {
  let backend: Awaited<ReturnType<typeof openLocal>>;

  beforeEach(async () => {
    backend = await openLocal();
  });
  afterEach(() => backend.close());

  it('touches nothing outside its root for malformed keys', async () => {
    const { dir, root, store } = backend;
    await store.check();
    // A file sitting exactly where '../x' would land if the key were trusted.
    await writeFile(path.join(dir, 'x'), 'outside');

    for (const key of badKeys) {
      await expect(store.put(key, everyByte, 'image/png')).rejects.toThrow();
      await expect(store.delete(key)).rejects.toThrow();
    }

    expect(await filesUnder(dir)).toEqual(['x']);
    expect(await readFile(path.join(dir, 'x'), 'utf8')).toBe('outside');
    expect(await filesUnder(root)).toEqual([]);
  });

  it('leaves exactly one file per key and no temp files after puts', async () => {
    const { root, store } = backend;
    await store.put('originals/a', everyByte, 'image/png');
    await store.put('originals/a', Buffer.from('again'), 'image/png');
    await store.put('thumbs/b.webp', everyByte, 'image/webp');

    expect(await filesUnder(root)).toEqual([path.join('originals', 'a'), path.join('thumbs', 'b.webp')]);
  });

  it('cleans up its temp file when a put fails', async () => {
    const { root, store } = backend;
    await store.put('dir/inner', everyByte, 'image/png');

    // 'dir' is a directory, so the final rename cannot replace it.
    await expect(store.put('dir', everyByte, 'image/png')).rejects.toThrow();

    expect(await filesUnder(root)).toEqual([path.join('dir', 'inner')]);
  });

  it('creates its root in check()', async () => {
    const { root, store } = backend;
    await store.check();

    expect(await readdir(root)).toEqual([]);
  });
});

describe('Vercel Blob store against the fake service', () => {
  let backend: Awaited<ReturnType<typeof openVercel>>;

  beforeEach(async () => {
    backend = await openVercel('glimpse/');
  });
  afterEach(() => backend.close());

  it('fails check() when the token has the wrong secret', async () => {
    const { fake } = backend;
    const store = createVercelBlobStore({ token: `vercel_blob_rw_${fake.storeId}_wrongsecret` });

    await expect(store.check()).rejects.toBeInstanceOf(BlobAccessError);
  });

  it('fails check() when the token names another store', async () => {
    const store = createVercelBlobStore({ token: 'vercel_blob_rw_otherstore_secret' });

    await expect(store.check()).rejects.toBeInstanceOf(BlobStoreNotFoundError);
  });

  it('fails reads with a wrong token instead of reporting the blob missing', async () => {
    const { fake, store } = backend;
    await store.put('originals/a', everyByte, 'image/png');
    const intruder = createVercelBlobStore({ token: `vercel_blob_rw_${fake.storeId}_wrongsecret`, prefix: 'glimpse/' });

    await expect(intruder.get('originals/a')).rejects.toThrow(/403/);
  });

  it('speaks the real client protocol: prefixed private puts, authenticated reads from the blob host', async () => {
    const { fake, store } = backend;
    const auth = `Bearer ${fake.token}`;
    const apiHost = new URL(fake.url).host;

    await store.put('originals/abc', everyByte, 'image/png');
    expect(fake.objects.get('glimpse/originals/abc')).toMatchObject({ body: everyByte, contentType: 'image/png', access: 'private' });

    expect(await store.get('originals/abc')).toEqual(everyByte);
    await store.delete('originals/abc');
    expect(fake.objects.has('glimpse/originals/abc')).toBe(false);
    await store.check();

    expect(fake.requests).toEqual([
      { method: 'PUT', host: apiHost, url: '/?pathname=glimpse%2Foriginals%2Fabc', authorization: auth },
      { method: 'GET', host: `${fake.storeId}.private.blob.vercel-storage.com`, url: '/glimpse/originals/abc', authorization: auth },
      { method: 'POST', host: apiHost, url: '/delete', authorization: auth },
      { method: 'GET', host: apiHost, url: '/?limit=1&prefix=glimpse%2F', authorization: auth },
    ]);
  });

  it('never sends a malformed key to the service', async () => {
    const { fake, store } = backend;
    for (const key of badKeys) await expect(store.put(key, everyByte, 'image/png')).rejects.toThrow();

    expect(fake.requests).toEqual([]);
  });

  it('rejects a prefix that does not end in a slash', () => {
    expect(() => createVercelBlobStore({ token: backend.fake.token, prefix: 'glimpse' })).toThrow(/end with '\/'/);
  });
});
