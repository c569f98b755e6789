import { randomUUID } from 'node:crypto';
import { handleUpload, type HandleUploadBody } from '@vercel/blob/client';
import type { Caller } from '@/lib/auth/quotas';
import { audioUploadLimits, videoUploadLimits } from '@/lib/config';
import { AppError } from '@/lib/errors';
import { getBlobStore } from '@/lib/storage';
import { assertValidBlobKey } from '@/lib/storage/keys';
import { ingestAudio } from '@/lib/uploads/audio';
import { ingestVideo } from '@/lib/uploads/video';

/**
 * With Vercel Blob, a browser sends a video or recording straight to the store (no 2 GB request
 * through our server, nor past a serverless function's body limit): it asks
 * /api/uploads/<kind>/token for a client token scoped to a pathname of its own, uploads, then asks
 * /api/uploads/<kind>/blob to take the file in, which validates it like any upload and removes the
 * incoming copy whatever the verdict.
 */
export const directUploadKinds = {
  video: {
    noun: 'video',
    maxBytes: () => videoUploadLimits().maxBytes,
    // The bytes decide what it is once it arrives; this only keeps pictures and pages out early.
    contentTypes: ['video/*', 'application/octet-stream'],
    ingest: ingestVideo,
  },
  audio: {
    noun: 'recording',
    maxBytes: () => audioUploadLimits().maxBytes,
    // Browsers call a voice note's WebM video/webm, and an .ogg application/ogg.
    contentTypes: ['audio/*', 'video/webm', 'application/ogg', 'application/octet-stream'],
    ingest: ingestAudio,
  },
} as const;

export type DirectUploadKind = keyof typeof directUploadKinds;

export const incomingFolder = (userId: string) => `incoming/${userId}`;

export function directUploadsEnabled(): boolean {
  return getBlobStore().kind === 'vercel-blob';
}

function requireDirectUploads() {
  if (!directUploadsEnabled()) throw new AppError('not_found', 'Direct uploads are only available with Vercel Blob storage; send the file to /api/uploads/video or /api/uploads/audio.');
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

export async function issueUploadToken(kind: DirectUploadKind, caller: Caller, body: HandleUploadBody, request: Request) {
  requireDirectUploads();
  return handleUpload({
    body,
    request,
    token: process.env.BLOB_READ_WRITE_TOKEN,
    onBeforeGenerateToken: async (pathname) => {
      ownIncomingKey(caller, pathname);
      return {
        allowedContentTypes: [...directUploadKinds[kind].contentTypes],
        maximumSizeInBytes: directUploadKinds[kind].maxBytes(),
        addRandomSuffix: false,
        tokenPayload: caller.id,
      };
    },
  });
}

/** Takes in a video or recording the browser uploaded to the store: validated and recorded like any upload. */
export async function ingestIncoming<K extends DirectUploadKind>(kind: K, caller: Caller, pathname: string, filename: string) {
  requireDirectUploads();
  const key = ownIncomingKey(caller, pathname);
  const store = getBlobStore();
  try {
    const blob = await store.read(key);
    const { ingest, noun } = directUploadKinds[kind];
    if (!blob) throw new AppError('not_found', `The uploaded ${noun} did not arrive in storage. Upload it again.`);
    return (await ingest(caller, blob.stream, filename)) as Awaited<ReturnType<(typeof directUploadKinds)[K]['ingest']>>;
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
