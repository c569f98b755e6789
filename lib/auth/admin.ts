import { notFound } from 'next/navigation';
import { userTypeOf } from '@/lib/auth/quotas';
import { currentUser } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';

/** Who asks, as far as the admin check needs to know. */
export interface Viewer {
  id: string;
  role?: string | null;
  isAnonymous?: boolean | null;
}

export function isAdmin(viewer: Viewer | null | undefined): viewer is Viewer {
  return Boolean(viewer && userTypeOf(viewer) === 'admin');
}

/**
 * Every admin-only data function starts here. A layout or page check is not enough: Next renders a
 * page without its layout on a client navigation, and a new caller may forget its own check.
 */
export function assertAdmin(viewer: Viewer | null | undefined): asserts viewer is Viewer {
  if (!isAdmin(viewer)) throw new AppError('not_found', 'Not found.');
}

/**
 * The admin console exists only for admins: anyone else gets the same 404 as for a page that is
 * not there, so its existence is not advertised. Every page calls it itself.
 */
export async function requireAdmin() {
  const user = await currentUser();
  if (!isAdmin(user)) notFound();
  return user;
}

/** For the console's routes and server actions: anyone but an admin gets the 404 a missing thing gets. */
export async function requireAdminOr404(message = 'Not found.') {
  const user = await currentUser();
  if (!isAdmin(user)) throw new AppError('not_found', message);
  return user;
}
