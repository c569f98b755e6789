/**
 * Server-side fetches of URLs people give us, against a real local HTTP server. Tests cannot reach
 * the internet, so "public" hosts resolve to a public address that is then dialled on this machine
 * (the `dial` seam); every refusal is checked to have sent the server nothing.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchPublicUrl, type PublicFetchOptions } from '@/lib/net/safe-fetch';
import { rejectionWith } from '@/tests/support/errors';

let server: http.Server;
let port = 0;
const hits: string[] = [];
const PUBLIC = '93.184.216.34';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/image') return res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from('89504e47', 'hex'));
    if (req.url === '/big') return res.writeHead(200, { 'content-type': 'image/png', 'content-length': '2048' }).end(Buffer.alloc(2048));
    if (req.url === '/chunked-big') {
      res.writeHead(200, { 'content-type': 'image/png' });
      for (let i = 0; i < 4; i++) res.write(Buffer.alloc(1024));
      return res.end();
    }
    if (req.url === '/slow') return setTimeout(() => res.writeHead(200).end('late'), 2000);
    if (req.url === '/to-localhost') return res.writeHead(302, { location: `http://127.0.0.1:${port}/image` }).end();
    if (req.url === '/to-metadata') return res.writeHead(301, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    if (req.url === '/to-public') return res.writeHead(302, { location: `http://cdn.example:${port}/image` }).end();
    if (req.url === '/loop') return res.writeHead(302, { location: '/loop' }).end();
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  hits.length = 0;
});

/** Names resolve as the test says; whatever passes the check is dialled on this machine. */
function options(hosts: Record<string, string[]> = {}, more: Partial<PublicFetchOptions> = {}): PublicFetchOptions {
  return {
    maxBytes: 1024,
    timeoutMs: 1000,
    resolve: async (host) => hosts[host] ?? [PUBLIC],
    dial: () => '127.0.0.1',
    ...more,
  };
}

describe('fetchPublicUrl', () => {
  it('fetches from a public address, with its type', async () => {
    const file = await fetchPublicUrl(`http://images.example:${port}/image`, options());
    expect(file.bytes.toString('hex')).toBe('89504e47');
    expect(file.contentType).toBe('image/png');
    expect(hits).toEqual(['/image']);
  });

  it.each([
    ['a loopback literal', 'http://127.0.0.1:PORT/image'],
    ['a private literal', 'http://10.0.0.7:PORT/image'],
    ['the metadata address', 'http://169.254.169.254/latest/meta-data/'],
    ['an IPv6 loopback', 'http://[::1]:PORT/image'],
    ['an IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]:PORT/image'],
    ['a decimal loopback', 'http://2130706433:PORT/image'],
  ])('refuses %s before connecting', async (_what, url) => {
    const error = await rejectionWith(fetchPublicUrl(url.replace('PORT', String(port)), options()), 'bad_request');
    expect(error.message).toMatch(/points inside a private network/);
    expect(hits).toEqual([]);
  });

  it('refuses a name that resolves to a private address, or to a public and a private one', async () => {
    for (const addresses of [['127.0.0.1'], [PUBLIC, '10.1.2.3'], ['fd00::1']]) {
      await rejectionWith(fetchPublicUrl(`http://sneaky.example:${port}/image`, options({ 'sneaky.example': addresses })), 'bad_request');
    }
    await rejectionWith(fetchPublicUrl(`http://nowhere.example:${port}/image`, options({ 'nowhere.example': [] })), 'bad_request');
    expect(hits).toEqual([]);
  });

  it('checks every redirect: to localhost or the metadata address is refused, to a public host followed', async () => {
    const toLocal = await rejectionWith(fetchPublicUrl(`http://images.example:${port}/to-localhost`, options()), 'bad_request');
    expect(toLocal.message).toMatch(/private network/);
    await rejectionWith(fetchPublicUrl(`http://images.example:${port}/to-metadata`, options()), 'bad_request');
    expect(hits).toEqual(['/to-localhost', '/to-metadata']);

    hits.length = 0;
    const followed = await fetchPublicUrl(`http://images.example:${port}/to-public`, options());
    expect(followed.url).toBe(`http://cdn.example:${port}/image`);
    expect(hits).toEqual(['/to-public', '/image']);
    const loop = await rejectionWith(fetchPublicUrl(`http://images.example:${port}/loop`, options()), 'bad_request');
    expect(loop.message).toMatch(/redirects too many times/);
  });

  it('refuses other schemes and credentials in the URL', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://images.example/x.png', 'gopher://x', `http://user:pw@images.example:${port}/image`, 'not a url']) {
      await rejectionWith(fetchPublicUrl(url, options()), 'bad_request');
    }
    expect(hits).toEqual([]);
  });

  it('stops past the size limit, declared or streamed, and past the time limit', async () => {
    const declared = await rejectionWith(fetchPublicUrl(`http://images.example:${port}/big`, options()), 'too_large');
    expect(declared.message).toMatch(/2\.0 KB; the limit is 1\.0 KB/);
    await rejectionWith(fetchPublicUrl(`http://images.example:${port}/chunked-big`, options()), 'too_large');
    const slow = await rejectionWith(fetchPublicUrl(`http://images.example:${port}/slow`, options({}, { timeoutMs: 300 })), 'bad_request');
    expect(slow.message).toMatch(/took too long/);
  });
});
