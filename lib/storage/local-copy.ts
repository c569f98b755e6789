import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { getBlobStore } from '@/lib/storage';
import { newTempFile } from '@/lib/storage/temp';

/** ffmpeg needs a file: the stored one itself on local disk, else a temporary download. */
export async function localCopy(key: string): Promise<{ file: string; cleanup: () => Promise<void> }> {
  const store = getBlobStore();
  const onDisk = store.localFile(key);
  if (onDisk) return { file: onDisk, cleanup: async () => {} };
  const blob = await store.read(key);
  if (!blob) throw new Error(`${key} is missing from storage`);
  const file = await newTempFile('download');
  await pipeline(Readable.fromWeb(blob.stream as import('node:stream/web').ReadableStream<Uint8Array>), createWriteStream(file));
  return { file, cleanup: () => rm(file, { force: true }) };
}
