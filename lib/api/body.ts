import type { z } from 'zod';
import { imageUploadLimits } from '@/lib/config';
import { AppError, formatBytes } from '@/lib/errors';
import { parseBody, parseJson } from '@/lib/http';

/** Room in a body for everything but its images: the prompt, options, URLs, multipart framing. */
const FIELDS_BYTES = 256 * 1024;

/** The largest body that can carry `images` images inline (as base64: a third more than their bytes). */
export const bodyLimit = (images: number) => FIELDS_BYTES + images * Math.ceil((imageUploadLimits().maxBytes * 4) / 3);

/** A JSON body parsed as every route's is (lib/http.ts), read no further than `maxBytes`. */
export async function parseJsonUpTo<T extends z.ZodType>(request: Request, schema: T, maxBytes: number): Promise<z.infer<T>> {
  return parseJson(new Request(request.url, { method: 'POST', body: await readUpTo(request, maxBytes) }), schema);
}

/** A multipart/form-data body (fields and files by name) against `schema`, read no further than `maxBytes`. */
export async function parseFormUpTo<T extends z.ZodType>(request: Request, schema: T, maxBytes: number): Promise<z.infer<T>> {
  const bytes = await readUpTo(request, maxBytes);
  let form: FormData;
  try {
    form = await new Request(request.url, { method: 'POST', headers: { 'content-type': request.headers.get('content-type') ?? '' }, body: bytes }).formData();
  } catch {
    throw new AppError('bad_request', 'The request body is not valid multipart/form-data.');
  }
  return parseBody(Object.fromEntries(form.entries()), schema);
}

/** The body, refused with a 413 as soon as it is known to be larger than `maxBytes`, declared or not. */
async function readUpTo(request: Request, maxBytes: number): Promise<Blob> {
  const tooLarge = (size: string) => new AppError('too_large', `This request body is ${size}; the limit is ${formatBytes(maxBytes)}.`);
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw tooLarge(formatBytes(declared));
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  for (let next = await reader?.read(); next && !next.done; next = await reader!.read()) {
    size += next.value.length;
    if (size > maxBytes) {
      await reader!.cancel();
      throw tooLarge(`over ${formatBytes(maxBytes)}`);
    }
    chunks.push(next.value);
  }
  return new Blob(chunks as BlobPart[]);
}
