import { chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { makeDataDirPrivate } from '@/lib/storage/private-data-dir';
import { useLocalDataDir } from '@/tests/support/data-dir';

const data = useLocalDataDir('private');
const umask = process.umask();
afterAll(() => {
  process.umask(umask);
});

const mode = async (file: string) => (await stat(file)).mode & 0o777;

it('keeps DATA_DIR this user’s alone: what was there, and what comes later', async () => {
  // As an older version left it: world-readable blobs and database URL.
  await chmod(data.dir, 0o755);
  await mkdir(path.join(data.dir, 'blobs', 'originals'), { recursive: true, mode: 0o755 });
  await writeFile(path.join(data.dir, 'blobs', 'originals', 'abc'), 'photo with GPS', { mode: 0o644 });
  await writeFile(path.join(data.dir, 'postgres.url'), 'postgresql://…', { mode: 0o644 });

  makeDataDirPrivate();

  expect(await mode(data.dir)).toBe(0o700);
  expect(await mode(path.join(data.dir, 'blobs'))).toBe(0o700);
  expect(await mode(path.join(data.dir, 'blobs', 'originals'))).toBe(0o700);
  expect(await mode(path.join(data.dir, 'blobs', 'originals', 'abc'))).toBe(0o600);
  expect(await mode(path.join(data.dir, 'postgres.url'))).toBe(0o600);

  // New files and folders: the umask keeps them private without each writer remembering.
  await mkdir(path.join(data.dir, 'blobs', 'previews'));
  await writeFile(path.join(data.dir, 'blobs', 'previews', 'abc.webp'), 'preview');
  expect(await mode(path.join(data.dir, 'blobs', 'previews'))).toBe(0o700);
  expect(await mode(path.join(data.dir, 'blobs', 'previews', 'abc.webp'))).toBe(0o600);
});
