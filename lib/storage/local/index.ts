import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertValidBlobKey } from '@/lib/storage/keys';
import type { BlobStore } from '@/lib/storage/types';

// Keys nest, so a key can name a directory or sit below a file. Vercel Blob pathnames are
// flat, where such a key simply has no blob; these codes mean the same thing here.
const NO_SUCH_BLOB = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

function isNoSuchBlob(error: unknown): boolean {
  return NO_SUCH_BLOB.has((error as NodeJS.ErrnoException).code ?? '');
}

/** Blobs as files under `root`, one file per key. */
export function createLocalBlobStore(root: string): BlobStore {
  const base = path.resolve(root);

  function fileFor(key: string): string {
    assertValidBlobKey(key);
    const file = path.resolve(base, ...key.split('/'));
    // The key grammar already forbids escaping; this guards against that grammar ever loosening.
    if (!file.startsWith(base + path.sep)) throw new Error(`Blob key escapes the store root: ${key}`);
    return file;
  }

  return {
    kind: 'local',

    async put(key, data) {
      await writeAtomically(fileFor(key), async (handle) => {
        await handle.writeFile(data);
      });
    },

    async putFile(key, filePath) {
      await writeAtomically(fileFor(key), async (handle) => {
        await pipeline(createReadStream(filePath), createWriteStream('', { fd: handle.fd, autoClose: false }));
      });
    },

    async read(key, range) {
      const file = fileFor(key);
      let size: number;
      try {
        size = (await stat(file)).size;
      } catch (error) {
        if (isNoSuchBlob(error)) return null;
        throw error;
      }
      const start = range?.start ?? 0;
      const end = Math.min(range?.end ?? size - 1, size - 1);
      const stream = Readable.toWeb(createReadStream(file, { start, end })) as ReadableStream<Uint8Array>;
      return { stream, size, start, end };
    },

    localFile(key) {
      return fileFor(key);
    },

    async deletePrefix(prefix) {
      await rm(fileFor(prefix), { recursive: true, force: true });
    },

    async listOlderThan(prefix, before, limit = 1000) {
      const folder = fileFor(prefix);
      let entries;
      try {
        entries = await readdir(folder, { recursive: true, withFileTypes: true });
      } catch (error) {
        if (isNoSuchBlob(error)) return [];
        throw error;
      }
      const keys: string[] = [];
      for (const entry of entries) {
        // Temp files of writes in progress start with a dot: not blobs.
        if (!entry.isFile() || entry.name.startsWith('.')) continue;
        const file = path.join(entry.parentPath, entry.name);
        if ((await stat(file)).mtime < before) keys.push(path.relative(base, file).split(path.sep).join('/'));
        if (keys.length >= limit) break;
      }
      return keys;
    },

    async get(key) {
      const file = fileFor(key);
      try {
        return await readFile(file);
      } catch (error) {
        if (isNoSuchBlob(error)) return null;
        throw error;
      }
    },

    async delete(key) {
      const file = fileFor(key);
      try {
        await unlink(file);
      } catch (error) {
        if (!isNoSuchBlob(error)) throw error;
      }
    },

    async check() {
      await mkdir(base, { recursive: true });
      // Writing is the honest test: permission bits alone miss a read-only mount, for one.
      const probe = path.join(base, `.check.${randomUUID()}.tmp`);
      await writeFile(probe, 'ok', { flag: 'wx' });
      await unlink(probe);
    },
  };
}

/**
 * Writes through a temp file in the target's directory, then renames it into place: readers see the
 * old bytes or the new ones, never a partial file, even if the process dies mid-write. A leading
 * dot can never be a valid key segment, so a temp file never shadows a blob.
 */
async function writeAtomically(file: string, write: (handle: FileHandle) => Promise<void>) {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomUUID()}.tmp`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await write(handle);
      // Flush before the rename so a power loss cannot leave the new name on empty data.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
