/**
 * GET /api/v1/me called as Next calls it, against the real database and the real rate-limit
 * table: what a valid key gets, the error shape of every refusal (401 without or with a bad key,
 * 429 with Retry-After over the key's limit), and usage counted per key and route, failures too.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, expect, it, vi } from 'vitest';
import { GET as me } from '@/app/api/v1/me/route';
import { apiKeyRoute } from '@/lib/auth/api-key-route';
import { createApiKey, listApiKeys } from '@/lib/auth/api-keys';
import { startOfUtcDay } from '@/lib/auth/quotas';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { testPrisma } from '@/tests/support/db';
import { ensureTestUser } from '@/tests/support/users';

const prisma = testPrisma();

afterEach(() => {
  vi.unstubAllEnvs();
});

afterAll(async () => {
  await prisma.$disconnect();
  await db().$disconnect();
});

async function keyOf(label: string) {
  const owner = `api-route-${label}-${randomUUID()}`;
  await ensureTestUser(owner, { anonymous: false });
  return { owner, ...(await createApiKey(owner, label)) };
}

const call = (key?: string) => me(new Request('http://glimpse.test/api/v1/me', { headers: key ? { authorization: `Bearer ${key}` } : {} }));
const usageRows = (keyId: string) =>
  prisma.apiUsage.findMany({ where: { keyId }, select: { route: true, day: true, requests: true, errors: true }, orderBy: { route: 'asc' } });

it('answers a valid key with its owner, the key and today’s requests, counting each call', async () => {
  const { owner, key, record } = await keyOf('Reporting script');

  const first = await call(key);
  expect(first.status).toBe(200);
  expect(await first.json()).toEqual({
    user: { id: owner, email: `${owner}@test.glimpse.invalid` },
    key: { id: record.id, name: 'Reporting script', prefix: record.prefix },
    usage: { requestsToday: 1 },
  });
  expect(((await (await call(key)).json()) as { usage: { requestsToday: number } }).usage.requestsToday).toBe(2);

  expect(await usageRows(record.id)).toEqual([{ route: 'GET /api/v1/me', day: startOfUtcDay(new Date()), requests: 2, errors: 0 }]);
  expect((await listApiKeys(owner))[0]).toMatchObject({ id: record.id, requests: 2, lastUsedAt: expect.any(String) });
});

it('keeps each key’s usage apart', async () => {
  const [a, b] = [await keyOf('Key A'), await keyOf('Key B')];
  for (let i = 0; i < 3; i++) expect((await call(a.key)).status).toBe(200);
  expect((await call(b.key)).status).toBe(200);
  expect((await usageRows(a.record.id))[0].requests).toBe(3);
  expect((await usageRows(b.record.id))[0].requests).toBe(1);
});

it('refuses a missing or bad key with 401 in the shared error shape, and counts nothing', async () => {
  const { key, record } = await keyOf('Refused');
  const missing = await call();
  expect(missing.status).toBe(401);
  expect(await missing.json()).toEqual({ error: { code: 'unauthorized', message: expect.stringMatching(/^This request has no API key\./) } });

  const bad = await call(`${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`);
  expect(bad.status).toBe(401);
  expect(await bad.json()).toEqual({ error: { code: 'unauthorized', message: expect.stringMatching(/^This API key is not valid\./) } });

  await db().apiKey.update({ where: { id: record.id }, data: { revokedAt: new Date() } });
  const revoked = await call(key);
  expect(revoked.status).toBe(401);
  expect(await revoked.json()).toEqual(await (await call(`glk_${'x'.repeat(43)}`)).json());
  expect(await usageRows(record.id)).toEqual([]);
});

it('holds a key to its own limit when its row sets one, with a 429 and Retry-After past it', async () => {
  const limited = await keyOf('Limited');
  const other = await keyOf('Unlimited neighbour');
  await prisma.apiKey.update({ where: { id: limited.record.id }, data: { requestsPerMinute: 3 } });

  for (let i = 0; i < 3; i++) expect((await call(limited.key)).status).toBe(200);
  const refused = await call(limited.key);
  expect(refused.status).toBe(429);
  const retryAfter = Number(refused.headers.get('Retry-After'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(await refused.json()).toEqual({
    error: { code: 'rate_limited', message: `Too many requests: at most 3 requests with this API key a minute. Try again in ${retryAfter} s.` },
  });
  // Another key is counted on its own; refused requests are not counted as usage.
  expect((await call(other.key)).status).toBe(200);
  expect((await usageRows(limited.record.id))[0].requests).toBe(3);
});

it('takes the default limit from RATE_LIMIT_API_KEY_PER_MINUTE', async () => {
  vi.stubEnv('RATE_LIMIT_API_KEY_PER_MINUTE', '2');
  const { key } = await keyOf('Default limit');
  expect((await call(key)).status).toBe(200);
  expect((await call(key)).status).toBe(200);
  expect((await call(key)).status).toBe(429);
});

it('counts a request that failed after authenticating as an error of its route', async () => {
  const { key, record } = await keyOf('Sloppy program');
  const request = () => new Request('http://glimpse.test/api/v1/other', { method: 'POST', headers: { authorization: `Bearer ${key}` } });
  const failing = await apiKeyRoute(request(), 'POST /api/v1/other', async () => {
    throw new AppError('bad_request', 'The request body is not valid JSON.');
  });
  expect(failing.status).toBe(400);
  expect(await failing.json()).toEqual({ error: { code: 'bad_request', message: 'The request body is not valid JSON.' } });
  await apiKeyRoute(request(), 'POST /api/v1/other', async () => Response.json({}, { status: 201 }));
  await call(key);

  expect(await usageRows(record.id)).toEqual([
    { route: 'GET /api/v1/me', day: expect.any(Date), requests: 1, errors: 0 },
    { route: 'POST /api/v1/other', day: expect.any(Date), requests: 2, errors: 1 },
  ]);
});
