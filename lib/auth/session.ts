import { headers } from 'next/headers';
import { auth } from '@/lib/auth/auth';
import { userTypeOf, type Caller } from '@/lib/auth/quotas';
import { AppError } from '@/lib/errors';

/** The signed-in person (a guest or an account), or null. */
export async function currentUser() {
  const session = await auth().api.getSession({ headers: await headers() });
  return session?.user ?? null;
}

/** Who is asking, or null. The proxy signs every browser in as a guest, so null means a client without cookies. */
export async function currentUserId(): Promise<string | null> {
  return (await currentUser())?.id ?? null;
}

const noSession = () => new AppError('unauthorized', 'Your session is missing or has expired. Reload the page to continue.');

/** For routes that act for someone: the caller's id, or a 401. */
export async function requireUser(): Promise<string> {
  const userId = await currentUserId();
  if (!userId) throw noSession();
  return userId;
}

/** For routes with quotas: the caller's id and which quotas apply (guest, account, admin), or a 401. */
export async function requireCaller(): Promise<Caller> {
  const user = await currentUser();
  if (!user) throw noSession();
  return { id: user.id, type: userTypeOf(user) };
}
