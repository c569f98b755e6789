import type { z } from 'zod';
import { AppError } from '@/lib/errors';

/** Parses a JSON body against a schema; every failure is a 400 that says what was wrong. */
export async function parseJson<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T>> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new AppError('bad_request', 'The request body is not valid JSON.');
  }
  return parseBody(body, schema);
}

/** A request body already read (JSON, or a form's fields) against a schema; a failure is a 400 that says what was wrong. */
export function parseBody<T extends z.ZodType>(body: unknown, schema: T): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('bad_request', `Invalid request: ${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  return parsed.data;
}

/** A query string against a schema; a failure is a 400 with `message`, which says what is expected. */
export function parseQuery<T extends z.ZodType>(request: Request, schema: T, message: string): z.infer<T> {
  const parsed = schema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new AppError('bad_request', message);
  return parsed.data;
}

/** Route parameters are input too: an id that is not even well-formed is simply not found. */
export async function parseParams<T extends z.ZodType>(params: Promise<unknown>, schema: T, notFoundMessage: string): Promise<z.infer<T>> {
  const parsed = schema.safeParse(await params);
  if (!parsed.success) throw new AppError('not_found', notFoundMessage);
  return parsed.data;
}

/**
 * `attachment` with the name twice: `filename*` (RFC 8187: UTF-8, percent-encoded, which
 * encodeURIComponent nearly is — it leaves ' ( ) * alone) for every current browser, and a plain
 * ASCII `filename` fallback in which anything that could break the quoted string is replaced.
 */
export function attachmentDisposition(filename: string): string {
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%;]/g, '_') || 'image';
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
