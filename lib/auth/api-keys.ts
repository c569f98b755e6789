import { createHash, randomBytes } from 'node:crypto';
import { startOfUtcDay, userTypeOf, type Caller } from '@/lib/auth/quotas';
import { enforceRateLimit } from '@/lib/auth/rate-limit';
import {
  addApiUsage,
  countApiRequestsSince,
  findApiKeyByHash,
  findKeyOwner,
  getApiKeySummary,
  insertApiKeyWithin,
  listApiKeySummaries,
  revokeApiKeyRow,
  setApiKeyLastUsed,
  type ApiKeySummary,
} from '@/lib/db/api-keys';
import { AppError } from '@/lib/errors';

/**
 * API keys: `glk_` and 32 random bytes (base64url). The key is shown once, when made; the database
 * keeps its sha256, which is all authenticating a request needs.
 */
export const MAX_ACTIVE_API_KEYS = 10;
/** The settings list counts requests over this many UTC days, today included. */
export const USAGE_DAYS = 30;

const KEY_PREFIX = 'glk_';
const KEY_SHAPE = /^glk_[A-Za-z0-9_-]{43}$/;
const LAST_USED_EVERY_MS = 60_000;

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** The start of the UTC day `days - 1` days before `now`'s: a window of `days` days, today included. */
export const usageSince = (now: Date, days = USAGE_DAYS) => new Date(startOfUtcDay(now).getTime() - (days - 1) * 86_400_000);

/** Someone else's key looks exactly like one that never was. */
export const apiKeyNotFound = 'This API key does not exist.';

/** A new key for an account's owner: the key itself (to show once) and what the list shows of it. */
export async function createApiKey(userId: string, name: string, now = new Date()): Promise<{ key: string; record: ApiKeySummary }> {
  const owner = await findKeyOwner(userId);
  if (!owner) throw new AppError('unauthorized', 'Your session is missing or has expired. Reload the page to continue.');
  if (owner.isAnonymous) throw new AppError('unauthorized', 'API keys belong to accounts. Sign up (your chats come with you), then create a key in Settings.');
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const row = await insertApiKeyWithin(MAX_ACTIVE_API_KEYS, { userId, name, prefix: key.slice(KEY_PREFIX.length, KEY_PREFIX.length + 8), hash: hashApiKey(key) });
  if (!row) {
    throw new AppError('conflict', `You already have ${MAX_ACTIVE_API_KEYS} active API keys, the most an account can have. Revoke one you no longer use, then create this one.`);
  }
  return { key, record: (await getApiKeySummary(userId, row.id, usageSince(now)))! };
}

/** The owner's keys (never the keys themselves), with their requests over the last USAGE_DAYS days. */
export function listApiKeys(userId: string, now = new Date()): Promise<ApiKeySummary[]> {
  return listApiKeySummaries(userId, usageSince(now));
}

/** Revokes the owner's key at once; someone else's key is as missing as one that never was. */
export async function revokeApiKey(userId: string, id: string, now = new Date()): Promise<ApiKeySummary> {
  if (!(await revokeApiKeyRow(userId, id))) throw new AppError('not_found', apiKeyNotFound);
  return (await getApiKeySummary(userId, id, usageSince(now)))!;
}

/** Who a request with a valid key acts for: as quotas see them, plus the key. */
export interface ApiCaller extends Caller {
  keyId: string;
  email: string;
  key: { name: string; prefix: string };
}

const missingKey = () =>
  new AppError('unauthorized', 'This request has no API key. Send one in the header "Authorization: Bearer glk_…"; you can create keys in Settings.');
// Malformed, unknown, revoked and a banned owner's keys alike: the caller learns nothing about which.
const invalidKey = () => new AppError('unauthorized', 'This API key is not valid. It may be mistyped or revoked; you can create a new one in Settings.');

function bearerToken(request: Request): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '');
  return match ? match[1] : null;
}

const isBanned = (user: { banned: boolean; banExpires: Date | null }, now: Date) => user.banned && (!user.banExpires || user.banExpires > now);

/**
 * The caller of an API request, from `Authorization: Bearer glk_…`, counted against the key's rate
 * limit (429 with Retry-After over it); a 401 for anything else. The key is looked up by its hash:
 * how long a lookup takes can then only tell a guesser about the hash of their own guess, never
 * about a stored key, so no constant-time comparison is needed on top.
 */
export async function authenticateApiKey(request: Request, now = new Date()): Promise<ApiCaller> {
  const token = bearerToken(request);
  if (!token) throw missingKey();
  if (!KEY_SHAPE.test(token)) throw invalidKey();
  const key = await findApiKeyByHash(hashApiKey(token));
  if (!key || key.revokedAt || key.user.isAnonymous || isBanned(key.user, now)) throw invalidKey();

  await enforceRateLimit('apiKey', key.id, key.requestsPerMinute ?? undefined);
  // "Last used" need not be exact to the second: one write a minute rather than one per request.
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() >= LAST_USED_EVERY_MS) await setApiKeyLastUsed(key.id, now);
  return { id: key.user.id, type: userTypeOf(key.user), keyId: key.id, email: key.user.email, key: { name: key.name, prefix: key.prefix } };
}

/** One answered request made with a key, with what it spent on models when it did. */
export async function recordApiUsage(
  caller: Pick<ApiCaller, 'keyId'>,
  entry: { route: string; status: number; inputTokens?: number; outputTokens?: number; costUsd?: number },
  now = new Date(),
): Promise<void> {
  await addApiUsage({
    keyId: caller.keyId,
    day: startOfUtcDay(now),
    route: entry.route,
    requests: 1,
    error: entry.status >= 400,
    inputTokens: entry.inputTokens ?? 0,
    outputTokens: entry.outputTokens ?? 0,
    costUsd: entry.costUsd ?? 0,
  });
}

/** The routes that start jobs: what a job spends later is counted on its key's row for the route that started it. */
export const API_JOB_ROUTES = {
  video: 'POST /api/v1/analyze/video',
  recording: 'POST /api/v1/transcribe',
  batch: 'POST /api/v1/batch',
} as const;

export interface JobSpend {
  inputTokens?: number;
  outputTokens?: number;
  costUsd: number;
}

/** What a job started with a key spent on models, added to the key's usage on the day it was spent (no request counted). */
export async function recordJobSpend(keyId: string, route: string, spend: JobSpend, now = new Date()): Promise<void> {
  if (!spend.inputTokens && !spend.outputTokens && !spend.costUsd) return;
  await addApiUsage({
    keyId,
    day: startOfUtcDay(now),
    route,
    requests: 0,
    error: false,
    inputTokens: spend.inputTokens ?? 0,
    outputTokens: spend.outputTokens ?? 0,
    costUsd: spend.costUsd,
  });
}

/** Requests made with the key since the last UTC midnight. */
export const requestsToday = (keyId: string, now = new Date()) => countApiRequestsSince(keyId, startOfUtcDay(now));
