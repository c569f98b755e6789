import { NextResponse, type NextRequest } from 'next/server';
import { IDENTITY_COOKIE, IDENTITY_MAX_AGE, issueIdentity, verifyIdentity } from '@/lib/auth/identity';

/**
 * Gives every browser a signed anonymous identity on its first request, visible to that same
 * request (so the first page render already knows its owner).
 */
export function proxy(request: NextRequest) {
  if (verifyIdentity(request.cookies.get(IDENTITY_COOKIE)?.value)) return NextResponse.next();

  const { cookie } = issueIdentity();
  request.cookies.set(IDENTITY_COOKIE, cookie);
  const response = NextResponse.next({ request: { headers: request.headers } });
  response.cookies.set(IDENTITY_COOKIE, cookie, {
    httpOnly: true,
    sameSite: 'lax',
    // Behind a TLS-terminating proxy the request itself is plain http.
    secure: request.nextUrl.protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https',
    path: '/',
    maxAge: IDENTITY_MAX_AGE,
  });
  return response;
}

// Not run for:
// - api/uploads: a proxy buffers the request body and cuts it off at `proxyClientMaxBodySize`
//   (10 MB by default), below the 20 MB image limit, so larger uploads would arrive truncated.
//   The first page load has already minted the cookie; an upload without one gets a 401.
// - api/media: it only reads the cookie (an image is never anyone's before an upload).
export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico|api/health|api/uploads|api/media).*)'],
};
