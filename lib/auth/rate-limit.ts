import { headers } from 'next/headers';
import pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '@/lib/errors';
import { clientAddressFrom } from '@/lib/net/client-address';

/**
 * Request rate limits per user and route group, as data: requests per minute (fixed windows that
 * start with a user's first request), counted in the database (rate-limiter-flexible's Postgres
 * store, table `rate_limits`, one row per user and group) so a restart does not reset them.
 * Every request to the group counts, whether or not it then succeeds. The costly groups also hold
 * per client address (`perAddress`, a few people behind one router), since anyone can become a
 * new guest — and so a new user — by dropping their cookies.
 */
export const rateLimits = {
  chat: { perMinute: 20, envName: 'RATE_LIMIT_CHAT_PER_MINUTE', what: 'chat requests', perAddress: 60 },
  upload: { perMinute: 60, envName: 'RATE_LIMIT_UPLOADS_PER_MINUTE', what: 'uploads', perAddress: 180 },
  // A batch page sends hundreds of images in a row; the daily upload bytes still bound it.
  batchUpload: { perMinute: 600, envName: 'RATE_LIMIT_BATCH_UPLOADS_PER_MINUTE', what: 'batch uploads', perAddress: 1800 },
  jobs: { perMinute: 30, envName: 'RATE_LIMIT_JOBS_PER_MINUTE', what: 'cancel and retry requests', perAddress: 90 },
  // Counted per API key, not per user: a key's row may set its own limit (ApiKey.requestsPerMinute).
  apiKey: { perMinute: 60, envName: 'RATE_LIMIT_API_KEY_PER_MINUTE', what: 'requests with this API key', perAddress: null },
} as const;

/**
 * New guests per client address and hour. Each guest has its own quotas, so minting guests is
 * how one client would multiply them; this bounds a household's, and an attacker's, alike.
 */
export const guestSessionLimit = { perHour: 30, envName: 'GUEST_SESSIONS_PER_ADDRESS_PER_HOUR' } as const;

export type RouteGroup = keyof typeof rateLimits;

/** The group's limit in force: the default, or its environment variable. */
export function perMinute(group: RouteGroup): number {
  return limitFromEnv(rateLimits[group].envName, rateLimits[group].perMinute);
}

/** The group's limit per client address: `RATE_LIMIT_<GROUP>_PER_ADDRESS_PER_MINUTE`, else the default. */
export function perAddressPerMinute(group: RouteGroup): number | null {
  const fallback = rateLimits[group].perAddress;
  return fallback === null ? null : limitFromEnv(addressEnvName(group), fallback);
}

export const addressEnvName = (group: RouteGroup) => rateLimits[group].envName.replace(/_PER_MINUTE$/, '_PER_ADDRESS_PER_MINUTE');

function limitFromEnv(envName: string, fallback: number): number {
  const raw = process.env[envName]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${envName} must be a whole number > 0, got "${raw}"`);
  return value;
}

// One small pool and one limiter per group and limit, per process (Next's dev server re-evaluates modules).
const holder = globalThis as unknown as { glimpseRateLimitPool?: pg.Pool; glimpseRateLimiters?: Map<string, RateLimiterPostgres> };

function pool(): pg.Pool {
  if (!holder.glimpseRateLimitPool) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set: start the app with `npm start`, which provides an embedded database');
    // Two connections: each check is one short statement, and on the embedded database more
    // connections only add clients waiting for its single backend.
    const created = new pg.Pool({ connectionString: url, max: 2, idleTimeoutMillis: 30_000, allowExitOnIdle: true });
    // An idle connection that drops (a database restart) must not take the process down; the next query reconnects.
    created.on('error', (error) => console.error('rate limiter: idle database connection failed:', error.message));
    holder.glimpseRateLimitPool = created;
  }
  return holder.glimpseRateLimitPool;
}

/**
 * The store client handed to the limiter: the pool, minus statement names. The library names its
 * prepared statements; the embedded database (PGlite) has one backend session shared by every
 * connection, so a second connection preparing the same name fails with "prepared statement …
 * already exists". Unnamed statements work the same on PGlite and on a real server.
 */
function storeClient() {
  const target = pool();
  return { query: (q: { text: string; values?: unknown[] }) => target.query(q.text, q.values) };
}

function limiter(prefix: string, points: number, seconds = 60): RateLimiterPostgres {
  const key = `${prefix}:${points}:${seconds}`;
  const limiters = (holder.glimpseRateLimiters ??= new Map<string, RateLimiterPostgres>());
  let found = limiters.get(key);
  if (!found) {
    found = new RateLimiterPostgres({
      storeClient: storeClient(),
      storeType: 'pool',
      tableName: 'rate_limits',
      tableCreated: true,
      keyPrefix: prefix,
      points,
      duration: seconds,
      // Once over the limit, further requests are refused from memory until the window ends,
      // without a database round trip each (one app instance per database, see README).
      inMemoryBlockOnConsumed: points + 1,
    });
    limiters.set(key, found);
  }
  return found;
}

/**
 * Counts one request of `subject` (a user id; a key id for `apiKey`) to `group`; over the limit it
 * throws a 429 with `Retry-After`. `limit` replaces the group's own where one subject has another.
 * Within a request, the client's address is counted too, against the group's per-address limit.
 */
export async function enforceRateLimit(group: RouteGroup, subject: string, limit?: number): Promise<void> {
  const points = limit ?? perMinute(group);
  await consume(limiter(group, points), subject, (seconds) => `Too many requests: at most ${points} ${rateLimits[group].what} a minute. Try again in ${seconds} s.`);
  const addressPoints = perAddressPerMinute(group);
  const address = addressPoints === null ? null : await requestAddress();
  if (address === null || addressPoints === null) return;
  await consume(
    limiter(`${group}@address`, addressPoints),
    address,
    (seconds) => `Too many requests from your network: at most ${addressPoints} ${rateLimits[group].what} a minute from one address. Try again in ${seconds} s.`,
  );
}

/** Before a new guest is made for a client with no session: at most `GUEST_SESSIONS_PER_ADDRESS_PER_HOUR` per address. */
export async function enforceGuestSessionLimit(address: string): Promise<void> {
  const points = limitFromEnv(guestSessionLimit.envName, guestSessionLimit.perHour);
  await consume(
    limiter('guestSession@address', points, 3600),
    address,
    (seconds) => `Too many new sessions from your network: at most ${points} an hour from one address. Try again in ${seconds} s, or sign in.`,
  );
}

async function consume(limiter: RateLimiterPostgres, subject: string, message: (seconds: number) => string): Promise<void> {
  try {
    await limiter.consume(subject);
  } catch (error) {
    // The library rejects with a RateLimiterRes when the limit is exceeded, with an Error when the store fails.
    if (!(error instanceof RateLimiterRes)) throw error;
    const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
    throw new AppError('rate_limited', message(seconds), { retryAfterSeconds: seconds });
  }
}

/** The client's address when called within a request (as the app server resolved it); null outside one (scripts, workers). */
async function requestAddress(): Promise<string | null> {
  let requestHeaders: Headers;
  try {
    requestHeaders = await headers();
  } catch {
    return null;
  }
  return clientAddressFrom(requestHeaders);
}
