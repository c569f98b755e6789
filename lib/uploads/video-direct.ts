import { randomUUID } from 'node:crypto';
import { handleUpload, type HandleUploadBody } from '@vercel/blob/client';
import type { Caller } from '@/lib/auth/quotas';
import { videoUploadLimits } from '@/lib/config';
import { AppError } from '@/lib/errors';
import { getBlobStore } from '@/lib/storage';
import { assertValidBlobKey } from '@/lib/storage/keys';
import { ingestVideo, type UploadedVideo } from '@/lib/uploads/video';

/**
 * With Vercel Blob, a browser sends a video straight to the store (no 2 GB request through our
 * server): it asks /api/uploads/video/token for a client token scoped to a pathname of its own,
 * uploads, then asks /api/uploads/video/blob to take the file in, which validates it like any
 * upload and removes the incoming copy whatever the verdict.
 */
export const incomingFolder = (userId: string) => `incoming/${userId}`;

export function directUploadsEnabled(): boolean {
  return getBlobStore().kind === 'vercel-blob';
}

function requireDirectUploads() {
  if (!directUploadsEnabled()) throw new AppError('not_found', 'Direct uploads are only available with Vercel Blob storage; send the video to /api/uploads/video.');
}

function ownIncomingKey(caller: Caller, pathname: string): string {
  const prefix = `${incomingFolder(caller.id)}/`;
  if (!pathname.startsWith(prefix) || !/^[0-9a-f-]{36}$/.test(pathname.slice(prefix.length))) {
    throw new AppError('bad_request', `Upload to ${prefix}<a new UUID>.`);
  }
  assertValidBlobKey(pathname);
  return pathname;
}

/** A fresh pathname for the browser to upload to. */
export const newIncomingPathname = (caller: Caller) => `${incomingFolder(caller.id)}/${randomUUID()}`;

export async function issueVideoUploadToken(caller: Caller, body: HandleUploadBody, request: Request) {
  requireDirectUploads();
  return handleUpload({
    body,
    request,
    token: process.env.BLOB_READ_WRITE_TOKEN,
    onBeforeGenerateToken: async (pathname) => {
      ownIncomingKey(caller, pathname);
      return {
        // The bytes decide what it is once it arrives; this only keeps pictures and pages out early.
        allowedContentTypes: ['video/*', 'application/octet-stream'],
        maximumSizeInBytes: videoUploadLimits().maxBytes,
        addRandomSuffix: false,
        tokenPayload: caller.id,
      };
    },
  });
}

/** Takes in a video the browser uploaded to the store: validated and recorded like any upload. */
export async function ingestIncomingVideo(caller: Caller, pathname: string, filename: string): Promise<UploadedVideo> {
  requireDirectUploads();
  const key = ownIncomingKey(caller, pathname);
  const store = getBlobStore();
  try {
    const blob = await store.read(key);
    if (!blob) throw new AppError('not_found', 'The uploaded video did not arrive in storage. Upload it again.');
    return await ingestVideo(caller, blob.stream, filename);
  } finally {
    await store.delete(key).catch((error) => console.error(`could not remove the incoming upload ${key}`, error));
  }
}

const ABANDONED_AFTER_MS = 24 * 60 * 60 * 1000;

/** Direct uploads nobody asked us to take in (the tab closed before the last step) are removed after a day. */
export async function sweepAbandonedDirectUploads(now = Date.now()): Promise<number> {
  const store = getBlobStore();
  const abandoned = await store.listOlderThan('incoming', new Date(now - ABANDONED_AFTER_MS));
  for (const key of abandoned) await store.delete(key);
  return abandoned.length;
}
