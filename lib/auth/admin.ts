import { notFound } from 'next/navigation';
import { currentUser } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';

/**
 * The admin console exists only for admins: anyone else gets the same 404 as for a page that is
 * not there, so its existence is not advertised.
 */
export async function requireAdmin() {
  const user = await currentUser();
  if (!user || user.role !== 'admin' || user.isAnonymous) notFound();
  return user;
}

/** For the console's routes: anyone but an admin gets the 404 a missing thing gets. */
export async function requireAdminOr404(message: string) {
  const user = await currentUser();
  if (!user || user.role !== 'admin' || user.isAnonymous) throw new AppError('not_found', message);
  return user;
}
