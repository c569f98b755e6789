import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { authSecret } from '@/lib/auth/secret';

/** Until accounts exist, a browser is its identity: a signed, http-only cookie holding a user id. */
export const IDENTITY_COOKIE = 'glimpse_id';
export const IDENTITY_MAX_AGE = 60 * 60 * 24 * 400;

const sign = (userId: string) => createHmac('sha256', authSecret()).update(userId).digest('base64url');

export function issueIdentity(): { userId: string; cookie: string } {
  const userId = randomUUID();
  return { userId, cookie: `${userId}.${sign(userId)}` };
}

/** The user id in a cookie value, or null when it is missing, malformed or forged. */
export function verifyIdentity(cookie: string | undefined): string | null {
  if (!cookie) return null;
  const dot = cookie.lastIndexOf('.');
  if (dot <= 0) return null;
  const userId = cookie.slice(0, dot);
  const given = Buffer.from(cookie.slice(dot + 1));
  const expected = Buffer.from(sign(userId));
  return given.length === expected.length && timingSafeEqual(given, expected) ? userId : null;
}
