import { describe, expect, it } from 'vitest';
import { isPublicAddress } from '@/lib/net/public-address';

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '10.0.0.5',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd12:3456:789a::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::10.0.0.1',
    '64:ff9b:0:0:0:0:10.0.0.1',
    '64:FF9B::A00:1',
    // Every IPv4-mapped or -compatible address, in any spelling: some stacks connect to the IPv4 inside.
    '0:0:0:0:0:ffff:7f00:1',
    '::ffff:8.8.8.8',
    '::127.0.0.1',
    '::a9fe:a9fe',
    // NAT64 for local use, Teredo and 6to4 carry private IPv4 addresses of someone's network.
    '64:ff9b:1::a00:1',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
    '2002:7f00:1::1',
    '2002:c0a8:101::1',
    'not-an-ip',
    'localhost',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.216.34', '8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '2a00:1450:4001:82a::200e', '64:ff9b::808:808', '64:ff9b:0:0:0:0:8.8.8.8'])('allows %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});
