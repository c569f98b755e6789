import type { z } from 'zod';
import { AppError, errorResponse, formatBytes } from '@/lib/errors';

/** A JSON body small enough for every form the app sends (a title, a name, options). */
export const JSON_BODY_BYTES = 64 * 1024;

/**
 * Parses a JSON body against a schema; every failure is a 400 that says what was wrong. The body
 * must say it is JSON (a cross-site form can only send text/plain, urlencoded or multipart) and is
 * read through `maxBytes`, however it is sent. Call it after the caller is known, so a stranger's
 * body is never read.
 */
export async function parseJson<T extends z.ZodType>(request: Request, schema: T, maxBytes = JSON_BODY_BYTES): Promise<z.infer<T>> {
  const type = request.headers.get('content-type')?.split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') {
    throw new AppError('unsupported_type', `Send the request body as application/json (it was ${type ? `"${type}"` : 'not labelled'}).`);
  }
  return parseJsonText(await readBodyUpTo(request, maxBytes), schema);
}

/** A body already read, as JSON, against a schema. */
export async function parseJsonText<T extends z.ZodType>(bytes: Blob, schema: T): Promise<z.infer<T>> {
  let body: unknown;
  try {
    body = JSON.parse(await bytes.text());
  } catch {
    throw new AppError('bad_request', 'The request body is not valid JSON.');
  }
  return parseBody(body, schema);
}

/**
 * The body, refused with a 413 as soon as it is known to be larger than `maxBytes`: a declared
 * length is checked before reading, and the bytes are counted as they arrive, since a chunked body
 * declares nothing and a declared one may lie. Memory never holds more than `maxBytes`.
 */
export async function readBodyUpTo(request: Request, maxBytes: number, tooLargeMessage?: (size: string) => string): Promise<Blob> {
  const tooLarge = (size: string) =>
    new AppError('too_large', tooLargeMessage?.(size) ?? `This request body is ${size}; the limit is ${formatBytes(maxBytes)}.`);
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw tooLarge(formatBytes(declared));
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  for (let next = await reader?.read(); next && !next.done; next = await reader!.read()) {
    size += next.value.length;
    if (size > maxBytes) {
      await reader!.cancel().catch(() => {});
      throw tooLarge(`over ${formatBytes(maxBytes)}`);
    }
    chunks.push(next.value);
  }
  return new Blob(chunks as BlobPart[]);
}

/** A multipart/form-data body read no further than `maxBytes`, then parsed (the bytes are already bounded in memory). */
export async function readFormUpTo(request: Request, maxBytes: number, tooLargeMessage?: (size: string) => string): Promise<FormData> {
  const bytes = await readBodyUpTo(request, maxBytes, tooLargeMessage);
  try {
    return await new Request(request.url, { method: 'POST', headers: { 'content-type': request.headers.get('content-type') ?? '' }, body: bytes }).formData();
  } catch {
    throw new AppError('bad_request', 'The request body is not valid multipart/form-data.');
  }
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

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses a state-changing request another site made with the person's cookies. A browser names
 * the page's origin on every such request (`Origin`, and `Sec-Fetch-Site`); it must be the app's
 * own, port included — a page on another port of the same host is another origin. A request with
 * neither header did not come from a browser, so it carries no victim's cookies (the rule Go's
 * `http.CrossOriginProtection` applies). Forwarded host and scheme are the app server's word (it
 * believes them only from trusted proxies); `BETTER_AUTH_URL` names the public origin when set.
 */
export function assertSameOrigin(request: Request): void {
  if (SAFE_METHODS.has(request.method)) return;
  const origin = request.headers.get('origin');
  const site = request.headers.get('sec-fetch-site');
  if (origin === null) {
    if (site === null || site === 'same-origin' || site === 'none') return;
    throw crossSite(`a ${site} page`);
  }
  if (appOrigins(request).has(origin.toLowerCase())) return;
  throw crossSite(origin);
}

function appOrigins(request: Request): Set<string> {
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host') ?? new URL(request.url).host;
  const scheme = request.headers.get('x-forwarded-proto') ?? new URL(request.url).protocol.replace(':', '');
  const origins = new Set([`${scheme}://${host}`.toLowerCase()]);
  const configured = process.env.BETTER_AUTH_URL;
  if (configured) origins.add(new URL(configured).origin.toLowerCase());
  return origins;
}

const crossSite = (from: string) =>
  new AppError('forbidden', `This request came from ${from}, not from Glimpse itself; changes are accepted only from the app's own pages.`);

/**
 * Every route handler behind one wrapper: a state-changing request from another site is refused
 * before anything runs, and whatever the handler throws becomes the error response (an AppError's
 * code and message, anything else a logged 500). `crossSite: 'allowed'` is for routes that take no
 * cookies (API keys, public share pages, webhooks signed otherwise).
 */
export function route<C = unknown>(handler: (request: Request, context: C) => Promise<Response>, options: { crossSite?: 'allowed' } = {}) {
  // A handler without route parameters can be called with the request alone (as tests do).
  return async (request: Request, ...context: undefined extends C ? [C?] : [C]): Promise<Response> => {
    try {
      if (options.crossSite !== 'allowed') assertSameOrigin(request);
      return await handler(request, context[0] as C);
    } catch (error) {
      return errorResponse(error);
    }
  };
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
