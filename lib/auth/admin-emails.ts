/** `ADMIN_EMAILS=a@x.org,b@y.org`: accounts created with these addresses start as admins. */
export function isBootstrapAdmin(email: string): boolean {
  const admins = (process.env.ADMIN_EMAILS ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean);
  return admins.includes(email.toLowerCase());
}
