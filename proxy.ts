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
    secure: request.nextUrl.protocol === 'https:',
    path: '/',
    maxAge: IDENTITY_MAX_AGE,
  });
  return response;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico|api/health).*)'],
};
