import path from 'node:path';
import { dataDir } from '@/lib/config';
import { createLocalBlobStore } from '@/lib/storage/local';
import type { BlobStore } from '@/lib/storage/types';
import { createVercelBlobStore } from '@/lib/storage/vercel-blob';

let store: BlobStore | undefined;

/** Vercel Blob when `BLOB_READ_WRITE_TOKEN` is set, else files under `<dataDir>/blobs`. */
export function getBlobStore(): BlobStore {
  const token = process.env.BLOB_READ_WRITE_TOKEN;
  store ??= token ? createVercelBlobStore({ token }) : createLocalBlobStore(path.join(dataDir(), 'blobs'));
  return store;
}
