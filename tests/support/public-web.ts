/**
 * The "public internet" that image URLs are fetched from, which in tests is a server on this
 * machine. For `vi.mock('@/lib/net/safe-fetch', () => import('@/tests/support/public-web').then((m) => m.safeFetchWithPublicExampleHosts()))`.
 */
import { lookup } from 'node:dns/promises';
import { vi } from 'vitest';
import type * as SafeFetch from '@/lib/net/safe-fetch';

/** A public address (example.com's) that names under `.example` resolve to. */
const PUBLIC_ADDRESS = '93.184.216.34';

/**
 * The real fetchPublicUrl with every check in place, except that host names under `.example`
 * resolve to a public address which is then dialled on this machine: tests cannot reach the
 * internet. Every other name (`localhost`…) resolves through the real DNS. For `vi.mock`.
 */
export async function safeFetchWithPublicExampleHosts(): Promise<typeof SafeFetch> {
  const real = await vi.importActual<typeof SafeFetch>('@/lib/net/safe-fetch');
  return {
    ...real,
    fetchPublicUrl: (url, options) =>
      real.fetchPublicUrl(url, {
        ...options,
        resolve: async (host) => (host.endsWith('.example') ? [PUBLIC_ADDRESS] : (await lookup(host, { all: true, verbatim: true })).map((a) => a.address)),
        dial: (address) => (address === PUBLIC_ADDRESS ? '127.0.0.1' : address),
      }),
  };
}

