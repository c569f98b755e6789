/**
 * Whose address a request is counted under: the socket's peer, unless a proxy named in
 * TRUSTED_PROXIES forwarded it. A client's own X-Forwarded-For must never choose its bucket.
 */
import { expect, it } from 'vitest';
import { clientAddressFrom, resolveForwarded, trustedProxies } from '@/lib/net/client-address';

it('ignores forwarding headers from a peer that is not a trusted proxy', () => {
  const view = resolveForwarded('203.0.113.9', { 'x-forwarded-for': '1.2.3.4', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' }, trustedProxies(''));
  expect(view).toEqual({ clientAddress: '203.0.113.9', forwardedHost: null, forwardedProto: null });
});

it('gives every rotated X-Forwarded-For from one socket the same address', () => {
  const trusted = trustedProxies('');
  const seen = new Set(Array.from({ length: 15 }, (_, i) => resolveForwarded('::ffff:198.51.100.7', { 'x-forwarded-for': `10.0.0.${i}` }, trusted).clientAddress));
  expect([...seen]).toEqual(['198.51.100.7']);
});

it('believes a trusted proxy, taking the rightmost address it did not add itself', () => {
  const trusted = trustedProxies('127.0.0.1, 10.0.0.0/8');
  // The client wrote "6.6.6.6" itself; the edge proxy (10.1.1.1) appended the real client, then the local proxy.
  const view = resolveForwarded('127.0.0.1', { 'x-forwarded-for': '6.6.6.6, 198.51.100.20, 10.1.1.1', 'x-forwarded-host': 'glimpse.example', 'x-forwarded-proto': 'https' }, trusted);
  expect(view).toEqual({ clientAddress: '198.51.100.20', forwardedHost: 'glimpse.example', forwardedProto: 'https' });
});

it('refuses a TRUSTED_PROXIES entry that is not an address or range', () => {
  expect(() => trustedProxies('127.0.0.1,localhost')).toThrow(/"localhost" is not an IP address or CIDR range/);
  expect(() => trustedProxies('10.0.0.0/33')).toThrow(/CIDR/);
});

it('reads the nearest sender when a chain reaches a handler directly', () => {
  expect(clientAddressFrom(new Headers({ 'x-forwarded-for': '1.1.1.1, 192.0.2.5' }))).toBe('192.0.2.5');
  expect(clientAddressFrom(new Headers())).toBe('unknown');
});
