import type { z } from 'zod';
import { imageUploadLimits } from '@/lib/config';
import { parseBody, parseJsonText, readBodyUpTo, readFormUpTo } from '@/lib/http';

/** Room in a body for everything but its images: the prompt, options, URLs, multipart framing. */
const FIELDS_BYTES = 256 * 1024;

/** The largest body that can carry `images` images inline (as base64: a third more than their bytes). */
export const bodyLimit = (images: number) => FIELDS_BYTES + images * Math.ceil((imageUploadLimits().maxBytes * 4) / 3);

/**
 * A JSON body read no further than `maxBytes`. Programs are not held to a content type (curl's
 * `-d` labels JSON as a form): a key, not a cookie, authenticates them, so no other site can.
 */
export async function parseJsonUpTo<T extends z.ZodType>(request: Request, schema: T, maxBytes: number): Promise<z.infer<T>> {
  return parseJsonText(await readBodyUpTo(request, maxBytes), schema);
}

/** A multipart/form-data body (fields and files by name) against `schema`, read no further than `maxBytes`. */
export async function parseFormUpTo<T extends z.ZodType>(request: Request, schema: T, maxBytes: number): Promise<z.infer<T>> {
  return parseBody(Object.fromEntries((await readFormUpTo(request, maxBytes)).entries()), schema);
}
