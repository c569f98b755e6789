/**
 * API keys against the real database: made for accounts only and shown once, stored as a hash,
 * listed without secrets, revoked by their owner alone, at most ten active at a time; a request
 * authenticates with a valid key only, and nothing in a refusal says why beyond missing/invalid.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_JOB_ROUTES, authenticateApiKey, createApiKey, listApiKeys, MAX_ACTIVE_API_KEYS, recordApiUsage, recordJobSpend, revokeApiKey, usageSince } from '@/lib/auth/api-keys';
import { db } from '@/lib/db/client';
import { testPrisma } from '@/tests/support/db';
import { rejectionWith } from '@/tests/support/errors';
import { ensureTestUser } from '@/tests/support/users';

const prisma = testPrisma();
const account = async (label: string) => {
  const id = `api-keys-${label}-${randomUUID()}`;
  await ensureTestUser(id, { anonymous: false });
  return id;
};

afterAll(async () => {
  await prisma.$disconnect();
  await db().$disconnect();
});

const withKey = (key: string) => new Request('http://glimpse.test/api/v1/me', { headers: { authorization: `Bearer ${key}` } });
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const INVALID = 'This API key is not valid. It may be mistyped or revoked; you can create a new one in Settings.';

describe('creating a key', () => {
  let owner: string;
  beforeAll(async () => {
    owner = await account('owner');
  });

  it('shows the key once and stores only its sha256', async () => {
    const { key, record } = await createApiKey(owner, 'Nightly export');

    expect(key).toMatch(/^glk_[A-Za-z0-9_-]{43}$/);
    expect(record).toEqual({
      id: expect.any(String),
      name: 'Nightly export',
      prefix: key.slice(4, 12),
      createdAt: expect.any(String),
      lastUsedAt: null,
      revokedAt: null,
      requests: 0,
      routes: [],
    });
    const row = await prisma.apiKey.findUniqueOrThrow({ where: { id: record.id } });
    expect(row.hash).toBe(sha256(key));
    // Nothing stored holds the key or its secret part.
    const stored = JSON.stringify(await prisma.$queryRaw`SELECT * FROM "ApiKey" WHERE "id" = ${record.id}`);
    expect(stored).not.toContain(key);
    expect(stored).not.toContain(key.slice(12));
    // Two keys never share a hash or a secret.
    const second = await createApiKey(owner, 'Another');
    expect(second.key).not.toBe(key);
  });

  it('lists the owner’s keys without the key or its hash, active ones first', async () => {
    const someone = await account('lister');
    const old = await createApiKey(someone, 'Old');
    const current = await createApiKey(someone, 'Current');
    await revokeApiKey(someone, old.record.id);
    const newest = await createApiKey(someone, 'Newest');

    const keys = await listApiKeys(someone);
    expect(keys.map((k) => k.name)).toEqual(['Newest', 'Current', 'Old']);
    expect(keys[2].revokedAt).toEqual(expect.any(String));
    const listed = JSON.stringify(keys);
    for (const { key } of [old, current, newest]) {
      expect(listed).not.toContain(key.slice(12));
      expect(listed).not.toContain(sha256(key));
    }
    expect(await listApiKeys(await account('nobody'))).toEqual([]);
  });

  it('refuses guests, telling them to sign up, and stores nothing', async () => {
    const guest = `api-keys-guest-${randomUUID()}`;
    await ensureTestUser(guest, { anonymous: true });

    const error = await rejectionWith(createApiKey(guest, 'Mine'), 'unauthorized');
    expect(error.message).toBe('API keys belong to accounts. Sign up (your chats come with you), then create a key in Settings.');
    expect(await prisma.apiKey.count({ where: { userId: guest } })).toBe(0);
  });

  it(`allows ${MAX_ACTIVE_API_KEYS} active keys; the next is refused until one is revoked`, async () => {
    const busy = await account('busy');
    const made = [];
    for (let i = 1; i <= MAX_ACTIVE_API_KEYS; i++) made.push(await createApiKey(busy, `Key ${i}`));

    const error = await rejectionWith(createApiKey(busy, 'Key 11'), 'conflict');
    expect(error.status).toBe(409);
    expect(error.message).toBe('You already have 10 active API keys, the most an account can have. Revoke one you no longer use, then create this one.');

    await revokeApiKey(busy, made[0].record.id);
    await expect(createApiKey(busy, 'Key 11')).resolves.toMatchObject({ record: { name: 'Key 11' } });
    expect(await prisma.apiKey.count({ where: { userId: busy, revokedAt: null } })).toBe(MAX_ACTIVE_API_KEYS);
  });

  it('lets exactly the last places go when requests arrive at once', async () => {
    const racer = await account('racer');
    const results = await Promise.allSettled(Array.from({ length: MAX_ACTIVE_API_KEYS + 3 }, (_, i) => createApiKey(racer, `Key ${i}`)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(MAX_ACTIVE_API_KEYS);
    expect(await prisma.apiKey.count({ where: { userId: racer } })).toBe(MAX_ACTIVE_API_KEYS);
  });
});

describe('authenticating a request', () => {
  it('accepts a valid key and answers with its owner as quotas see them', async () => {
    const owner = await account('caller');
    const { key, record } = await createApiKey(owner, 'Script');

    expect(await authenticateApiKey(withKey(key))).toEqual({
      id: owner,
      type: 'user',
      keyId: record.id,
      email: `${owner}@test.glimpse.invalid`,
      key: { name: 'Script', prefix: record.prefix },
    });
    // The scheme is case-insensitive (RFC 9110), surrounding spaces are not part of the key.
    const lower = new Request('http://glimpse.test/', { headers: { authorization: `bearer   ${key}  ` } });
    await expect(authenticateApiKey(lower)).resolves.toMatchObject({ keyId: record.id });
  });

  it('says when the key is missing, and only "not valid" for any other refusal', async () => {
    const owner = await account('refusals');
    const { key, record } = await createApiKey(owner, 'Soon revoked');
    const missing = await rejectionWith(authenticateApiKey(new Request('http://glimpse.test/')), 'unauthorized');
    expect(missing.status).toBe(401);
    expect(missing.message).toBe('This request has no API key. Send one in the header "Authorization: Bearer glk_…"; you can create keys in Settings.');
    const basic = new Request('http://glimpse.test/', { headers: { authorization: `Basic ${btoa(`x:${key}`)}` } });
    expect((await rejectionWith(authenticateApiKey(basic), 'unauthorized')).message).toBe(missing.message);

    const wellFormedUnknown = `glk_${'A'.repeat(43)}`;
    for (const wrong of ['glk_short', `${key}x`, key.replace('glk_', 'glx_'), wellFormedUnknown]) {
      expect((await rejectionWith(authenticateApiKey(withKey(wrong)), 'unauthorized')).message, wrong).toBe(INVALID);
    }

    await revokeApiKey(owner, record.id);
    expect((await rejectionWith(authenticateApiKey(withKey(key)), 'unauthorized')).message).toBe(INVALID);
  });

  it('refuses the keys of a banned owner while the ban lasts', async () => {
    const owner = await account('banned');
    const { key } = await createApiKey(owner, 'Banned owner');
    await prisma.user.update({ where: { id: owner }, data: { banned: true } });
    expect((await rejectionWith(authenticateApiKey(withKey(key)), 'unauthorized')).message).toBe(INVALID);

    await prisma.user.update({ where: { id: owner }, data: { banExpires: new Date(Date.now() - 1000) } });
    await expect(authenticateApiKey(withKey(key))).resolves.toMatchObject({ id: owner });
  });

  it('notes when a key was last used, at most once a minute', async () => {
    const owner = await account('last-used');
    const { key, record } = await createApiKey(owner, 'Busy script');
    const lastUsed = async () => (await prisma.apiKey.findUniqueOrThrow({ where: { id: record.id } })).lastUsedAt;
    const start = new Date();

    await authenticateApiKey(withKey(key), start);
    expect(await lastUsed()).toEqual(start);
    await authenticateApiKey(withKey(key), new Date(start.getTime() + 59_000));
    expect(await lastUsed()).toEqual(start);
    const later = new Date(start.getTime() + 60_000);
    await authenticateApiKey(withKey(key), later);
    expect(await lastUsed()).toEqual(later);
  });
});

describe('revoking a key', () => {
  it('is for its owner only: anyone else gets the 404 of a key that does not exist', async () => {
    const owner = await account('revoker');
    const stranger = await account('stranger');
    const { key, record } = await createApiKey(owner, 'Mine');

    const error = await rejectionWith(revokeApiKey(stranger, record.id), 'not_found');
    expect(error.message).toBe('This API key does not exist.');
    expect((await rejectionWith(revokeApiKey(owner, randomUUID()), 'not_found')).message).toBe(error.message);
    await expect(authenticateApiKey(withKey(key))).resolves.toMatchObject({ keyId: record.id });

    const revoked = await revokeApiKey(owner, record.id);
    expect(revoked.revokedAt).toEqual(expect.any(String));
    // Revoking again keeps the first time.
    expect((await revokeApiKey(owner, record.id)).revokedAt).toBe(revoked.revokedAt);
  });
});

it('counts a key’s requests over the last 30 UTC days, today included', async () => {
  const owner = await account('window');
  const { record } = await createApiKey(owner, 'Counted');
  const now = new Date('2026-11-24T10:00:00Z');
  expect(usageSince(now)).toEqual(new Date('2026-10-26T00:00:00Z'));
  const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
  await prisma.apiUsage.createMany({
    data: [
      { keyId: record.id, day: day('2026-10-25'), route: 'GET /api/v1/me', requests: 1000 },
      { keyId: record.id, day: day('2026-10-26'), route: 'GET /api/v1/me', requests: 3 },
      { keyId: record.id, day: day('2026-11-24'), route: 'GET /api/v1/me', requests: 4 },
      { keyId: record.id, day: day('2026-11-24'), route: 'POST /api/v1/other', requests: 5, errors: 2, inputTokens: 100, outputTokens: 20, costUsd: 0.5 },
    ],
  });
  const [listed] = await listApiKeys(owner, now);
  expect(listed.requests).toBe(12);
  expect(listed.routes).toEqual([
    { route: 'GET /api/v1/me', requests: 7, errors: 0, tokens: 0, costUsd: 0 },
    { route: 'POST /api/v1/other', requests: 5, errors: 2, tokens: 120, costUsd: 0.5 },
  ]);
});

it('adds what a job started with a key spends later to the route that started it, counting no request', async () => {
  const owner = await account('job-spend');
  const { record } = await createApiKey(owner, 'Jobs');
  const now = new Date('2026-11-24T10:00:00Z');
  await recordApiUsage({ keyId: record.id }, { route: API_JOB_ROUTES.batch, status: 202 }, now);
  await recordJobSpend(record.id, API_JOB_ROUTES.batch, { inputTokens: 300, outputTokens: 40, costUsd: 0.25 }, now);
  await recordJobSpend(record.id, API_JOB_ROUTES.batch, { inputTokens: 100, outputTokens: 10, costUsd: 0.05 }, new Date('2026-11-25T01:00:00Z'));
  // A cached answer spent nothing: no row is written for it.
  await recordJobSpend(record.id, API_JOB_ROUTES.video, { costUsd: 0 }, now);
  const rows = await prisma.apiUsage.findMany({ where: { keyId: record.id }, orderBy: { day: 'asc' } });
  expect(rows.map(({ day, route, requests, errors, inputTokens, outputTokens, costUsd }) => ({ day: day.toISOString().slice(0, 10), route, requests, errors, inputTokens, outputTokens, costUsd }))).toEqual([
    { day: '2026-11-24', route: 'POST /api/v1/batch', requests: 1, errors: 0, inputTokens: 300, outputTokens: 40, costUsd: 0.25 },
    { day: '2026-11-25', route: 'POST /api/v1/batch', requests: 0, errors: 0, inputTokens: 100, outputTokens: 10, costUsd: 0.05 },
  ]);
});
