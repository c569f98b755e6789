import { BlockList, isIP } from 'node:net';

/**
 * Addresses a server-side fetch must never reach: this machine, private networks, link-local (cloud
 * metadata at 169.254.169.254), carrier NAT, multicast, reserved and documentation ranges, and the
 * IPv6 ranges that carry an IPv4 address (mapped, compatible, NAT64 local use, 6to4, Teredo).
 */
const blocked = new BlockList();
// Apart: a BlockList matches an IPv4 address against IPv6 rules as if mapped (::ffff:a.b.c.d), and
// the mapped range is blocked whole.
const blocked6 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  // IPv4-compatible (::a.b.c.d, ::1 among them) and IPv4-mapped: any IPv4 address, private ones included.
  ['::', 96],
  ['::ffff:0:0', 96],
  // Local-use NAT64: translates into a private network of its operator's.
  ['64:ff9b:1::', 48],
  ['100::', 64],
  // Teredo and 6to4 tunnel IPv4 addresses inside; neither is a public server.
  ['2001::', 32],
  ['2002::', 16],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  blocked6.addSubnet(network, prefix, 'ipv6');
}

/** The IPv4 address inside a NAT64 (64:ff9b::/96) address, given in the canonical form. */
function nat64Ipv4(canonical: string): string | null {
  const match = /^64:ff9b::([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (!match) return null;
  const high = parseInt(match[1], 16);
  const low = parseInt(match[2], 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** Whether `address` (an IP literal) is on the public internet. Anything unparseable is not. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !blocked.check(address, 'ipv4');
  if (family !== 6) return false;
  if (blocked6.check(address, 'ipv6')) return false;
  // One spelling per address (lower case, zeros compressed, a dotted tail in hex), so the NAT64
  // check cannot be sidestepped by writing the address out in full.
  const inner = nat64Ipv4(new URL(`http://[${address}]/`).hostname.slice(1, -1));
  return inner ? isPublicAddress(inner) : true;
}
