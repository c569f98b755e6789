import { notFound } from 'next/navigation';
import { currentUser } from '@/lib/auth/session';

/**
 * The admin console exists only for admins: anyone else gets the same 404 as for a page that is
 * not there, so its existence is not advertised.
 */
export async function requireAdmin() {
  const user = await currentUser();
  if (!user || user.role !== 'admin' || user.isAnonymous) notFound();
  return user;
}
