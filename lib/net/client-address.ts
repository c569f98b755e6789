import { BlockList, isIP } from 'node:net';

/**
 * Who is on the other end of a request. `X-Forwarded-*` headers are written by whoever sends the
 * request, so they are believed only when the socket's peer is a proxy the operator named in
 * `TRUSTED_PROXIES` (addresses or CIDR ranges, e.g. `127.0.0.1,10.0.0.0/8`). The app's own HTTP
 * server (scripts/app-server.ts) resolves this once per request and rewrites the headers, so
 * everything after it (better-auth's limiter, our limits, origin checks) reads values it can trust.
 */
export interface ForwardedView {
  /** The client's address: the socket's peer, or what trusted proxies say it was. */
  clientAddress: string;
  /** The host and scheme the client asked for, when a trusted proxy says so; else null (use the request's own). */
  forwardedHost: string | null;
  forwardedProto: string | null;
}

/** `::ffff:127.0.0.1` and `127.0.0.1` are one client; a bare IPv6 is kept as written. */
export function normalizeAddress(address: string): string {
  const trimmed = address.trim().replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return mapped ? mapped[1] : trimmed.toLowerCase();
}

/** Parses `TRUSTED_PROXIES`; an entry that is not an address or range stops the server (a typo must not trust everyone). */
export function trustedProxies(raw = process.env.TRUSTED_PROXIES ?? ''): BlockList {
  const list = new BlockList();
  for (const entry of raw.split(',').map((e) => e.trim()).filter(Boolean)) {
    const [address, prefix] = entry.split('/');
    const family = isIP(normalizeAddress(address));
    const bits = prefix === undefined ? (family === 6 ? 128 : 32) : Number(prefix);
    if (!family || !Number.isInteger(bits) || bits < 0 || bits > (family === 6 ? 128 : 32)) {
      throw new Error(`TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range`);
    }
    list.addSubnet(normalizeAddress(address), bits, family === 6 ? 'ipv6' : 'ipv4');
  }
  return list;
}

function isTrusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

function lastValue(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header.at(-1) : header;
  const last = value?.split(',').at(-1)?.trim();
  return last || null;
}

/**
 * What a request says about its client, believing `X-Forwarded-For` only as far as trusted proxies
 * wrote it: walking from the right (the entry the nearest proxy added), the first address that is
 * not a trusted proxy is the client. Without a trusted peer the socket's address is the answer.
 */
export function resolveForwarded(
  socketAddress: string | undefined,
  headers: Record<string, string | string[] | undefined>,
  trusted: BlockList,
): ForwardedView {
  const peer = normalizeAddress(socketAddress ?? '') || 'unknown';
  if (!isTrusted(trusted, peer)) return { clientAddress: peer, forwardedHost: null, forwardedProto: null };

  const raw = headers['x-forwarded-for'];
  const chain = (Array.isArray(raw) ? raw.join(',') : (raw ?? ''))
    .split(',')
    .map(normalizeAddress)
    .filter((entry) => isIP(entry) !== 0);
  let client = peer;
  for (let i = chain.length - 1; i >= 0; i--) {
    client = chain[i];
    if (!isTrusted(trusted, client)) break;
  }
  return { clientAddress: client, forwardedHost: lastValue(headers['x-forwarded-host']), forwardedProto: lastValue(headers['x-forwarded-proto']) };
}

/**
 * The client's address as the app's server resolved it (a single value in `X-Forwarded-For`).
 * Outside that server (a test calling a handler) the header may hold a chain: its last entry is the
 * nearest sender, the only one not chosen by the client.
 */
export function clientAddressFrom(headers: Headers): string {
  return lastValue(headers.get('x-forwarded-for') ?? undefined) ?? 'unknown';
}
