import type { z } from 'zod';
import { uploadAllowance, type Caller } from '@/lib/auth/quotas';
import { enforceRateLimit } from '@/lib/auth/rate-limit';
import { requireCaller } from '@/lib/auth/session';
import { AppError, formatBytes } from '@/lib/errors';

/**
 * The checks every raw-body upload route makes, cheapest first and before anything is read: the
 * query names the file, a declared length over the limit is refused unread, then the caller, the
 * upload rate limit, a declared length over the day's quota, and `ingest`, which streams the body —
 * cut off the moment it passes what is left of the quota, since a chunked body declares no length
 * and a declared one may lie. A route that knows its caller already (the HTTP API's key,
 * rate-limited per key) passes it as `caller`.
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
  const allowance = await uploadAllowance(caller);
  if (declared > 0) allowance.check(declared);
  return options.ingest(caller, cutOffAfter(request.body, allowance.bytesLeft, allowance.refuse), query.data.filename);
}

/** The stream, failing with `refuse()` as soon as more than `maxBytes` have come through it. */
export function cutOffAfter(body: ReadableStream<Uint8Array>, maxBytes: number, refuse: () => Error): ReadableStream<Uint8Array> {
  if (maxBytes === Infinity) return body;
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.length;
        if (seen > maxBytes) controller.error(refuse());
        else controller.enqueue(chunk);
      },
    }),
  );
}
