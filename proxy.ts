import { NextResponse, type NextRequest } from 'next/server';
import { auth } from '@/lib/auth/auth';
import { enforceGuestSessionLimit } from '@/lib/auth/rate-limit';
import { AppError, errorResponse } from '@/lib/errors';
import { clientAddressFrom } from '@/lib/net/client-address';
import { contentSecurityPolicy } from '@/lib/csp';

/**
 * Every browser is someone: without a session, sign it in as a guest on its first request, and
 * make that session visible to the same request (so the first page render already knows its owner).
 */
export async function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const policy = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === 'development', blobUploads: Boolean(process.env.BLOB_READ_WRITE_TOKEN) });
  // On the request for Next to find the nonce, on a page's response for the browser to enforce it
  // (API answers have theirs from next.config.ts).
  request.headers.set('content-security-policy', policy);
  const page = !request.nextUrl.pathname.startsWith('/api/');
  const next = (cookies: string[] = []) => {
    const response = NextResponse.next({ request: { headers: request.headers } });
    if (page) response.headers.set('content-security-policy', policy);
    for (const cookie of cookies) response.headers.append('set-cookie', cookie);
    return response;
  };
  // Shared pages are public: a first-time viewer or a link unfurler does not become a guest.
  if (request.nextUrl.pathname.startsWith('/share/')) return next();
  if (await auth().api.getSession({ headers: request.headers })) return next();
  try {
    // Each guest has quotas of its own: minting them is limited per client address.
    await enforceGuestSessionLimit(clientAddressFrom(request.headers));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return request.nextUrl.pathname.startsWith('/api/') ? errorResponse(error) : tooManySessionsPage(error);
  }

  const { headers: issued } = await auth().api.signInAnonymous({ headers: request.headers, returnHeaders: true });
  const cookies = issued.getSetCookie();
  for (const cookie of cookies) {
    const [pair] = cookie.split(';');
    const eq = pair.indexOf('=');
    request.cookies.set(pair.slice(0, eq).trim(), decodeURIComponent(pair.slice(eq + 1).trim()));
  }
  return next(cookies);
}

/** A page request over the limit: a short page saying why, not the app's error screen. */
function tooManySessionsPage(error: AppError): Response {
  const body = `<!doctype html><meta charset="utf-8"><title>Too many new sessions · Glimpse</title><p>${error.message}</p>`;
  return new Response(body, {
    status: error.status,
    headers: { 'content-type': 'text/html; charset=utf-8', ...(error.retryAfterSeconds ? { 'retry-after': String(error.retryAfterSeconds) } : {}) },
  });
}

// Not run for:
// - api/v1: programs calling with an API key; a session, let alone a new guest per call, means nothing there.
// - api/uploads: a proxy buffers the request body and cuts it off at `proxyClientMaxBodySize`
//   (10 MB by default), below the 20 MB image limit, so larger uploads would arrive truncated.
//   The first page load has already signed the browser in; an upload without a session gets a 401.
// - api/media: it only reads the session (an image is never anyone's before an upload).
// - api/auth: better-auth's own routes, which the guest sign-in itself goes through.
// Shared pages (share/) pass through for their CSP only: they are public, and a link unfurler or a
// first-time viewer should not become a guest account just by looking.
export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico|api/health|api/v1/|api/uploads|api/media|api/auth).*)'],
};
