import path from 'node:path';
import { dataDir } from '@/lib/config';
import { createLocalBlobStore } from '@/lib/storage/local';
import type { BlobStore } from '@/lib/storage/types';
import { createVercelBlobStore } from '@/lib/storage/vercel-blob';

let current: { config: string; store: BlobStore } | undefined;

/** Vercel Blob when `BLOB_READ_WRITE_TOKEN` is set, else files under `<dataDir>/blobs`. */
export function getBlobStore(): BlobStore {
  const token = process.env.BLOB_READ_WRITE_TOKEN;
  const root = path.join(dataDir(), 'blobs');
  // Rebuilt when the configuration changes, so the store always matches the environment.
  const config = token ? `vercel-blob:${token}` : `local:${root}`;
  if (current?.config !== config) {
    current = { config, store: token ? createVercelBlobStore({ token }) : createLocalBlobStore(root) };
  }
  return current.store;
}

/** Whether a blob exists, without reading more than its first byte. */
export async function blobExists(key: string): Promise<boolean> {
  const head = await getBlobStore().read(key, { start: 0, end: 0 });
  await head?.stream.cancel();
  return head !== null;
}
