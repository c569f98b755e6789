/**
 * Image URLs that point inside our own network, sent to the real route handlers: each is refused
 * with a 400 that says why, before anything is fetched from the target (a server on this machine
 * that records every request), stored or asked of a model. Name resolution is real: `localhost` is
 * looked up in DNS; only `*.example` names are made to resolve to a public address (tests have no
 * internet), which is how a redirect from a "public" host reaches the target's address.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { startStubModel, type StubModel } from '@/e2e/stub-model/server';
import { POST as analyzeImage } from '@/app/api/v1/analyze/image/route';
import { POST as batch } from '@/app/api/v1/batch/route';
import { POST as compare } from '@/app/api/v1/compare/route';
import { db } from '@/lib/db/client';
import { apiKeyFor, localServer, type LocalServer } from '@/tests/support/api';
import { useLocalDataDir } from '@/tests/support/data-dir';
import { testPrisma } from '@/tests/support/db';
import { pointAtStub } from '@/tests/support/stub-env';

vi.mock('next/server', async (importOriginal) => ({ ...(await importOriginal<object>()), after: () => {} }));
vi.mock('@/lib/net/safe-fetch', () => import('@/tests/support/public-web').then((m) => m.safeFetchWithPublicExampleHosts()));

useLocalDataDir('api-ssrf');
const prisma = testPrisma();
let stub: StubModel;
let target: LocalServer;
let key: string;
let owner: string;

beforeAll(async () => {
  stub = await startStubModel();
  pointAtStub(stub.url);
  // The internal service an attacker is after, and a "public" page that redirects to it.
  target = await localServer((req, res) => {
    if (req.url === '/redirect') return res.writeHead(302, { location: `http://localhost:${target.port}/secret` }).end();
    res.writeHead(200, { 'content-type': 'image/png' }).end('internal secret');
  });
  ({ key, owner } = await apiKeyFor('ssrf'));
});

afterAll(async () => {
  await target?.close();
  await stub?.stop();
  await prisma.$disconnect();
  await db().$disconnect();
});

const request = (path: string, body: object) =>
  new Request(`http://glimpse.test${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

const inside = /^http:\/\/.+ cannot be fetched: it points inside a private network\.$/;

it.each([
  ['a loopback address', 'http://127.0.0.1:PORT/secret', /^http:\/\/127\.0\.0\.1:\d+ cannot be fetched: it points inside a private network\.$/],
  ['a name that resolves to loopback', 'http://localhost:PORT/secret', /^http:\/\/localhost:\d+ cannot be fetched: it points inside a private network\.$/],
  ['a private network address', 'http://10.0.0.1/secret', /^http:\/\/10\.0\.0\.1 cannot be fetched/],
  ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data', /^http:\/\/169\.254\.169\.254 cannot be fetched/],
  ['the IPv6 loopback', 'http://[::1]:PORT/secret', /^http:\/\/\[::1\]:\d+ cannot be fetched/],
  ['an IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]:PORT/secret', inside],
  ['a public host redirecting to localhost', 'http://images.example:PORT/redirect', /^http:\/\/localhost:\d+ cannot be fetched: it points inside a private network\.$/],
])('refuses %s with a 400 and fetches nothing from it', async (_what, url, message) => {
  target.hits.length = 0;
  const response = await analyzeImage(request('/api/v1/analyze/image', { image_url: url.replace('PORT', String(target.port)), prompt: 'What is this?' }));
  expect(response.status).toBe(400);
  expect(await response.json()).toEqual({ error: { code: 'bad_request', message: expect.stringMatching(message) } });
  // Only the public page was asked for, never the internal one.
  expect(target.hits.filter((path) => path !== '/redirect')).toEqual([]);
});

it('refuses the same in a comparison and a batch, naming the image, and keeps nothing of the request', async () => {
  target.hits.length = 0;
  const images = [{ image_url: `http://images.example:${target.port}/redirect` }, { image_url: `http://127.0.0.1:${target.port}/secret` }];
  const compared = await compare(request('/api/v1/compare', { images }));
  expect(compared.status).toBe(400);
  expect((await compared.json()).error.message).toMatch(/^Image \d: http:\/\/(localhost|127\.0\.0\.1):\d+ cannot be fetched: it points inside a private network\.$/);
  const batched = await batch(request('/api/v1/batch', { prompt: 'What is this?', images }));
  expect(batched.status).toBe(400);
  expect(target.hits.filter((path) => path !== '/redirect')).toEqual([]);

  expect(stub.requests.filter((r) => r.path === '/v1/chat/completions')).toEqual([]);
  expect(await prisma.media.count({ where: { userId: owner } })).toBe(0);
  expect(await prisma.conversation.count({ where: { userId: owner } })).toBe(0);
  expect(await prisma.batch.count({ where: { userId: owner } })).toBe(0);
});
