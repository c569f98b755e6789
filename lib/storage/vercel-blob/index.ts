import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { del, get, list, put } from '@vercel/blob';
import { assertValidBlobKey } from '@/lib/storage/keys';
import type { BlobStore } from '@/lib/storage/types';

// Vercel recommends multipart uploads above 100 MB: parts are sent (and retried) separately.
const MULTIPART_FROM_BYTES = 100 * 1024 * 1024;

// The client retries network errors with backoff for minutes; a health check must answer sooner.
const CHECK_TIMEOUT_MS = 10_000;

export interface VercelBlobStoreOptions {
  /** A read-write token, `vercel_blob_rw_<storeId>_<secret>`; the store id in it picks the read host. */
  token: string;
  /** Prepended to every key, e.g. `glimpse/` to share a store; empty or ending in '/'. */
  prefix?: string;
}

/** Private blobs in a Vercel Blob store, through the official client. */
export function createVercelBlobStore({ token, prefix = '' }: VercelBlobStoreOptions): BlobStore {
  if (prefix !== '') {
    if (!prefix.endsWith('/')) throw new Error(`Blob prefix must end with '/': ${prefix}`);
    assertValidBlobKey(prefix.slice(0, -1));
  }

  function pathnameFor(key: string): string {
    assertValidBlobKey(key);
    return prefix + key;
  }

  return {
    kind: 'vercel-blob',

    async put(key, data, contentType) {
      await put(pathnameFor(key), data, {
        access: 'private',
        token,
        contentType,
        // Keys are already unique and must round-trip exactly, and re-putting a key is allowed.
        addRandomSuffix: false,
        allowOverwrite: true,
      });
    },

    async putFile(key, filePath, contentType) {
      await put(pathnameFor(key), createReadStream(filePath), {
        access: 'private',
        token,
        contentType,
        addRandomSuffix: false,
        allowOverwrite: true,
        multipart: (await stat(filePath)).size > MULTIPART_FROM_BYTES,
      });
    },

    async read(key, range) {
      const headers = range ? { range: `bytes=${range.start}-${range.end ?? ''}` } : undefined;
      const result = await get(pathnameFor(key), { access: 'private', token, headers });
      if (result === null) return null;
      // 304 only answers an If-None-Match, which this store never sends.
      if (result.stream === null) throw new Error(`Unexpected ${result.statusCode} reading blob ${key}`);
      // A 206 carries "bytes start-end/size"; a server that ignored the range sent it all.
      const contentRange = /bytes (\d+)-(\d+)\/(\d+)/.exec(result.headers.get('content-range') ?? '');
      if (contentRange) {
        return { stream: result.stream, start: Number(contentRange[1]), end: Number(contentRange[2]), size: Number(contentRange[3]) };
      }
      const size = result.blob.size ?? 0;
      return { stream: result.stream, size, start: 0, end: size - 1 };
    },

    localFile() {
      return null;
    },

    async listOlderThan(folder, before, limit = 1000) {
      const keys: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await list({ token, prefix: `${pathnameFor(folder)}/`, cursor, limit: 1000 });
        for (const blob of page.blobs) {
          if (blob.uploadedAt < before && keys.length < limit) keys.push(blob.pathname.slice(prefix.length));
        }
        cursor = page.hasMore && keys.length < limit ? page.cursor : undefined;
      } while (cursor);
      return keys;
    },

    async deletePrefix(folder) {
      let cursor: string | undefined;
      do {
        const page = await list({ token, prefix: `${pathnameFor(folder)}/`, cursor, limit: 1000 });
        if (page.blobs.length > 0) await del(page.blobs.map((b) => b.url), { token });
        cursor = page.hasMore ? page.cursor : undefined;
      } while (cursor);
    },

    async get(key) {
      // Reads GET https://<storeId>.private.blob.vercel-storage.com/<pathname> with the token as
      // a bearer; the client answers null on 404. The CDN may serve a cached copy, which is
      // harmless because keys are content-derived: a key's bytes never change (though a key
      // deleted moments ago may still read until the purge reaches the edge).
      const result = await get(pathnameFor(key), { access: 'private', token });
      if (result === null) return null;
      // 304 only answers an If-None-Match, which this store never sends.
      if (result.statusCode !== 200) throw new Error(`Unexpected ${result.statusCode} reading blob ${key}`);
      return Buffer.from(await new Response(result.stream).arrayBuffer());
    },

    async delete(key) {
      await del(pathnameFor(key), { token });
    },

    async check() {
      // Authenticated and store-scoped, so a bad token or a deleted store fails here.
      await list({ token, prefix, limit: 1, abortSignal: AbortSignal.timeout(CHECK_TIMEOUT_MS) });
    },
  };
}
