import { cookies } from 'next/headers';
import { IDENTITY_COOKIE, verifyIdentity } from '@/lib/auth/identity';
import { ensureUser } from '@/lib/db/users';
import { AppError } from '@/lib/errors';

/** Who is asking, or null. The proxy gives every browser an identity, so null means a client without cookies. */
export async function currentUserId(): Promise<string | null> {
  const jar = await cookies();
  return verifyIdentity(jar.get(IDENTITY_COOKIE)?.value);
}

/** For routes that write: the caller's id, with their user row guaranteed to exist. */
export async function requireUser(): Promise<string> {
  const userId = await currentUserId();
  if (!userId) throw new AppError('unauthorized', 'Your session cookie is missing. Reload the page to get a new one.');
  await ensureUser(userId);
  return userId;
}
