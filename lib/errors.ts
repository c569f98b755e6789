/**
 * The one error type a user can see. Each code maps to an HTTP status here, in one place;
 * the message is written for the person (it states the value and the limit where there is one).
 * Anything that is not an AppError is internal: logged, and shown as a generic message.
 */
export const errorStatus = {
  bad_request: 400,
  empty_file: 400,
  unsupported_type: 415,
  corrupt_file: 422,
  too_large: 413,
  too_many_pixels: 413,
  too_short: 422,
  too_small: 422,
  too_many_files: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  rate_limited: 429,
  model_unavailable: 503,
  model_error: 502,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  readonly code: ErrorCode;
  /** Sent as `Retry-After` (seconds): when trying again can succeed. */
  readonly retryAfterSeconds?: number;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
  get status(): number {
    return errorStatus[this.code];
  }
}

const internalMessage = 'Something went wrong on our side. Please try again.';

/** The JSON body every route returns on failure: `{ error: { code, message } }`. */
export function errorBody(error: unknown): { status: number; body: { error: { code: ErrorCode; message: string } } } {
  if (error instanceof AppError) {
    return { status: error.status, body: { error: { code: error.code, message: error.message } } };
  }
  console.error(error);
  return { status: 500, body: { error: { code: 'internal', message: internalMessage } } };
}

export function errorResponse(error: unknown): Response {
  const { status, body } = errorBody(error);
  const retryAfter = error instanceof AppError ? error.retryAfterSeconds : undefined;
  return Response.json(body, { status, headers: retryAfter === undefined ? undefined : { 'Retry-After': String(retryAfter) } });
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${(bytes / (1024 * 1024 * 1024)).toFixed(1)} GB`;
}

/** Not-found messages shared by routes: someone else's thing looks exactly like a missing one. */
export const notFoundMessage = {
  conversation: 'This conversation does not exist.',
  image: 'This image does not exist.',
  video: 'This video does not exist.',
  recording: 'This recording does not exist.',
  batch: 'This batch does not exist.',
  shareLink: 'This share link does not exist.',
  /** Unknown, revoked and expired tokens alike: a stranger learns nothing about which. */
  sharedConversation: 'This link was revoked or has expired.',
} as const;
