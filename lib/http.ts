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
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('bad_request', `Invalid request: ${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  return parsed.data;
}

/** Route parameters are input too: an id that is not even well-formed is simply not found. */
export async function parseParams<T extends z.ZodType>(params: Promise<unknown>, schema: T, notFoundMessage: string): Promise<z.infer<T>> {
  const parsed = schema.safeParse(await params);
  if (!parsed.success) throw new AppError('not_found', notFoundMessage);
  return parsed.data;
}
