/**
 * The Content-Security-Policy of every page: scripts only with this response's nonce (Next puts it
 * on its own scripts when it finds it in the request's CSP header) and what they load; images,
 * media and connections only to ourselves (a second line of defence against model output that
 * tries to make the browser fetch a URL carrying conversation text); no plugins, no <base>, no
 * framing by other sites, forms only to ourselves. Styles may be inline: React and Tailwind set
 * style attributes, and a style cannot run code.
 */
export function contentSecurityPolicy(nonce: string, opts: { dev?: boolean; blobUploads?: boolean } = {}): string {
  // Direct uploads to Vercel Blob go from the browser to its API.
  const blob = opts.blobUploads ? ' https://vercel.com https://*.blob.vercel-storage.com' : '';
  return [
    "default-src 'self'",
    // 'unsafe-eval' only in development: React's dev tooling evaluates code to rebuild stack traces.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "media-src 'self' blob:",
    "font-src 'self' data:",
    `connect-src 'self'${blob}${opts.dev ? ' ws:' : ''}`,
    "worker-src 'self' blob:",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** What routes that serve no page (JSON, media bytes) carry: nothing may run or frame them. */
export const nonPagePolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
