import type { z } from 'zod';
import { checkUploadQuota, type Caller } from '@/lib/auth/quotas';
import { enforceRateLimit } from '@/lib/auth/rate-limit';
import { requireCaller } from '@/lib/auth/session';
import { AppError, formatBytes } from '@/lib/errors';

/**
 * The checks every raw-body upload route makes, cheapest first and before anything is read: the
 * query names the file, a declared length over the limit or the day's quota is refused unread,
 * then the caller, the upload rate limit, and `ingest`, which streams the body. A route that knows
 * its caller already (the HTTP API's key, rate-limited per key) passes it as `caller`.
 */
export async function takeStreamedUpload<T>(
  request: Request,
  options: {
    query: z.ZodType<{ filename: string }>;
    maxBytes: number;
    noun: string;
    ingest: (caller: Caller, body: ReadableStream<Uint8Array>, filename: string) => Promise<T>;
    caller?: Caller;
  },
): Promise<T> {
  const query = options.query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw new AppError('bad_request', `Name the ${options.noun} with ?filename= (at most 500 characters).`);
  if (!request.body) throw new AppError('empty_file', 'This file is empty (0 bytes).');
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > options.maxBytes) {
    throw new AppError('too_large', `This ${options.noun} is ${formatBytes(declared)}; the limit is ${formatBytes(options.maxBytes)} per ${options.noun}.`);
  }
  const caller = options.caller ?? (await requireCaller());
  if (!options.caller) await enforceRateLimit('upload', caller.id);
  if (declared > 0) await checkUploadQuota(caller, declared);
  return options.ingest(caller, request.body, query.data.filename);
}
