/**
 * Where to go after signing up or in, from a `?next=` parameter: a path on this site, or "/".
 * Resolved against a dummy origin so `//evil.example`, `/\evil.example` and absolute URLs, which
 * browsers would take to another site, all fall back to "/".
 */
export function nextPath(raw: string | null | undefined): string {
  if (!raw || !raw.startsWith('/')) return '/';
  const base = 'http://glimpse.invalid';
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    return '/';
  }
  return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : '/';
}
