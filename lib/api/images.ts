import { checkUploadQuota, type Caller } from '@/lib/auth/quotas';
import { imageUploadLimits } from '@/lib/config';
import { getOwnedMediaMany } from '@/lib/db/media';
import { AppError, formatBytes } from '@/lib/errors';
import { fetchPublicUrl } from '@/lib/net/safe-fetch';
import { ingestImage, withdrawUpload, type UploadedImage } from '@/lib/uploads/image';
import type { ImageSource } from '@/lib/api/schemas';

/** A slow host must not hold a request for long; an image takes seconds at most from anywhere. */
const FETCH_TIMEOUT_MS = 15_000;
/** Images fetched and stored at once: a batch of 500 holds at most this many in memory. */
const CONCURRENCY = 8;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Stores a program's images as the caller's uploads, each as the upload route would: the bytes
 * fetched from a public URL (never our own network) or decoded from base64, counted against the
 * day's upload quota, validated by their content and stored. The first refusal refuses them all,
 * naming the image, and withdraws those already stored.
 */
export async function storeImages(caller: Caller, sources: ImageSource[]): Promise<UploadedImage[]> {
  const limits = imageUploadLimits();
  const stored: UploadedImage[] = new Array(sources.length);
  let next = 0;
  const worker = async () => {
    while (next < sources.length) {
      const index = next++;
      try {
        const { bytes, filename } = await receive(sources[index], limits.maxBytes);
        await checkUploadQuota(caller, bytes.length);
        stored[index] = await ingestImage(caller.id, bytes, filename);
      } catch (error) {
        next = sources.length;
        throw sources.length > 1 && error instanceof AppError ? new AppError(error.code, `Image ${index + 1}: ${error.message}`, { cause: error }) : error;
      }
    }
  };
  const outcomes = await Promise.allSettled(Array.from({ length: Math.min(CONCURRENCY, sources.length) }, worker));
  const failure = outcomes.find((o) => o.status === 'rejected');
  if (!failure) return stored;
  await withdraw(caller.id, stored.filter(Boolean));
  throw failure.reason;
}

async function receive(source: ImageSource, maxBytes: number): Promise<{ bytes: Buffer; filename: string }> {
  if (source.image_url !== undefined) {
    const file = await fetchPublicUrl(source.image_url, { maxBytes, timeoutMs: FETCH_TIMEOUT_MS });
    return { bytes: file.bytes, filename: filenameOf(file.url) };
  }
  const text = (source.image_base64 ?? '').replace(/^data:[^,]*;base64,/, '').replace(/\s+/g, '');
  // Refused before decoding: the size is known from the length.
  const size = Math.floor((text.length * 3) / 4);
  if (size > maxBytes + 2) throw new AppError('too_large', `image_base64 decodes to about ${formatBytes(size)}; the limit is ${formatBytes(maxBytes)} per image.`);
  if (text.length % 4 !== 0 || !BASE64.test(text)) throw new AppError('bad_request', 'image_base64 is not valid base64 (the standard alphabet, padded with =).');
  return { bytes: Buffer.from(text, 'base64'), filename: 'image' };
}

/** The URL's last path segment names the stored image (people see it in their history). */
function filenameOf(url: string): string {
  const last = new URL(url).pathname.split('/').filter(Boolean).at(-1) ?? '';
  try {
    return decodeURIComponent(last) || 'image';
  } catch {
    return last || 'image';
  }
}

async function withdraw(userId: string, images: UploadedImage[]): Promise<void> {
  if (images.length === 0) return;
  for (const media of await getOwnedMediaMany(userId, images.map((i) => i.id))) {
    await withdrawUpload(userId, media).catch((error) => console.error(`could not withdraw upload ${media.id} of a refused API request`, error));
  }
}
