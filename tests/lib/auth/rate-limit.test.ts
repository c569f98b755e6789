/**
 * Request rate limits against the real `rate_limits` table (rate-limiter-flexible's Postgres
 * store), on a real server and on the embedded one alike.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, expect, it, vi } from 'vitest';
import { enforceRateLimit, rateLimits } from '@/lib/auth/rate-limit';
import { AppError, errorResponse } from '@/lib/errors';
import { testPrisma } from '@/tests/support/db';
import { rejectionWith } from '@/tests/support/errors';

const prisma = testPrisma();
const user = () => `rate-${randomUUID()}`;

afterEach(() => {
  vi.unstubAllEnvs();
});

afterAll(async () => {
  await prisma.$disconnect();
});

const refusal = (check: Promise<void>) => rejectionWith(check, 'rate_limited');

it('allows 20 chat requests a minute and refuses the 21st with a retry-after', async () => {
  expect(rateLimits.chat.perMinute).toBe(20);
  const alice = user();
  for (let i = 0; i < 20; i++) await enforceRateLimit('chat', alice);

  const error = await refusal(enforceRateLimit('chat', alice));
  expect(error.message).toMatch(/^Too many requests: at most 20 chat requests a minute\. Try again in \d+ s\.$/);
  expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  expect(error.retryAfterSeconds).toBeLessThanOrEqual(60);
  expect(error.message).toContain(`Try again in ${error.retryAfterSeconds} s.`);
  const response = errorResponse(error);
  expect(response.status).toBe(429);
  expect(response.headers.get('Retry-After')).toBe(String(error.retryAfterSeconds));

  // Counted in the table, one row per user and group.
  const row = await prisma.rateLimit.findUniqueOrThrow({ where: { key: `chat:${alice}` } });
  expect(row.points).toBe(21);
  expect(Number(row.expire)).toBeGreaterThan(Date.now());
  // Still refused on the next try (from memory now, without a database round trip).
  await refusal(enforceRateLimit('chat', alice));
});

it('counts users and route groups independently', async () => {
  const [alice, bob] = [user(), user()];
  for (let i = 0; i < 20; i++) await enforceRateLimit('chat', alice);
  await refusal(enforceRateLimit('chat', alice));
  await expect(enforceRateLimit('chat', bob)).resolves.toBeUndefined();
  await expect(enforceRateLimit('upload', alice)).resolves.toBeUndefined();
});

it('lets exactly the limit through when requests arrive at once', async () => {
  const alice = user();
  const results = await Promise.allSettled(Array.from({ length: 25 }, () => enforceRateLimit('chat', alice)));
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(20);
  const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  expect(refused).toHaveLength(5);
  for (const r of refused) expect(r.reason).toBeInstanceOf(AppError);
});

it('starts a new window once the last one expired', async () => {
  const alice = user();
  for (let i = 0; i < 20; i++) await enforceRateLimit('chat', alice);
  await prisma.rateLimit.update({ where: { key: `chat:${alice}` }, data: { expire: BigInt(Date.now() - 1) } });
  await expect(enforceRateLimit('chat', alice)).resolves.toBeUndefined();
  expect((await prisma.rateLimit.findUniqueOrThrow({ where: { key: `chat:${alice}` } })).points).toBe(1);
});

it('takes the limit from the environment', async () => {
  vi.stubEnv('RATE_LIMIT_UPLOADS_PER_MINUTE', '2');
  const alice = user();
  await enforceRateLimit('upload', alice);
  await enforceRateLimit('upload', alice);
  expect((await refusal(enforceRateLimit('upload', alice))).message).toMatch(/^Too many requests: at most 2 uploads a minute\./);
  vi.stubEnv('RATE_LIMIT_UPLOADS_PER_MINUTE', '0');
  await expect(enforceRateLimit('upload', alice)).rejects.toThrow('RATE_LIMIT_UPLOADS_PER_MINUTE must be a whole number > 0, got "0"');
});

it('limits cancel and retry requests to 30 a minute per user', async () => {
  const alice = user();
  for (let i = 0; i < 30; i++) await enforceRateLimit('jobs', alice);
  const error = await refusal(enforceRateLimit('jobs', alice));
  expect(error.message).toMatch(/^Too many requests: at most 30 cancel and retry requests a minute\./);
  await expect(enforceRateLimit('jobs', user())).resolves.toBeUndefined();
});
