/**
 * `ADMIN_EMAILS=a@x.org,b@y.org`: accounts with these addresses become admins once the address is
 * verified. Never on sign-up alone: anyone could sign up first under an admin's address. Without a
 * way to verify addresses (no mail), `npm run admin -- grant <email>` makes admins instead.
 */
export function isBootstrapAdmin(user: { email: string; emailVerified?: boolean | null; isAnonymous?: boolean | null }): boolean {
  if (!user.emailVerified || user.isAnonymous) return false;
  const admins = (process.env.ADMIN_EMAILS ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean);
  return admins.includes(user.email.toLowerCase());
}
