import { toNextJsHandler } from 'better-auth/next-js';
import { auth } from '@/lib/auth/auth';
import { AppError, errorResponse } from '@/lib/errors';

export const runtime = 'nodejs';

/**
 * The better-auth endpoints the app uses, and no others. better-auth and its admin plugin answer
 * many more (list-users, impersonate-user, set-user-password, update-user, change-email…): the
 * console does its admin work through its own audited server actions, so those stay unreachable.
 * Compared as the exact path: a variant (a trailing slash, an escape) is no endpoint of ours.
 */
const allowed = {
  GET: new Set(['/api/auth/get-session']),
  POST: new Set(['/api/auth/sign-up/email', '/api/auth/sign-in/email', '/api/auth/sign-out']),
};

const handler = () => toNextJsHandler(auth());

function only(method: keyof typeof allowed, request: Request): Response | null {
  if (allowed[method].has(new URL(request.url).pathname)) return null;
  return errorResponse(new AppError('not_found', 'Not found.'));
}

// GET /api/auth/get-session – better-auth: the caller's session
export const GET = (request: Request) => only('GET', request) ?? handler().GET(request);
// POST /api/auth/{sign-up/email,sign-in/email,sign-out} – better-auth: accounts (guests are signed in by the proxy, in process)
export const POST = (request: Request) => only('POST', request) ?? handler().POST(request);
