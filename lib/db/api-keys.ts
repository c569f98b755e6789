import { assertAdmin, type Viewer } from '@/lib/auth/admin';
import { db } from '@/lib/db/client';

/** A key as its owner's settings list shows it: never the key, never its hash. */
export interface ApiKeySummary {
  id: string;
  name: string;
  prefix: string;
  /** ISO 8601, so they cross to the browser as they are. */
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** Requests made with it since `since` (the list asks for the last 30 days). */
  requests: number;
  /** Over the same days: per route, what its requests (and the jobs they started) spent. */
  routes: RouteUsage[];
}

export interface RouteUsage {
  route: string;
  requests: number;
  errors: number;
  tokens: number;
  costUsd: number;
}

/** Who owns a key, as creating one needs to know: only accounts may. Null for an unknown id. */
export function findKeyOwner(userId: string) {
  return db().user.findUnique({ where: { id: userId }, select: { isAnonymous: true } });
}

/**
 * Stores a new key unless its owner already has `maxActive` keys that are not revoked (then null).
 * The count and the insert run under a lock on the owner, so two requests at once cannot both take
 * the last place.
 */
export async function insertApiKeyWithin(maxActive: number, data: { userId: string; name: string; prefix: string; hash: string }) {
  return db().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`api-keys:${data.userId}`}, 0))`;
    const active = await tx.apiKey.count({ where: { userId: data.userId, revokedAt: null } });
    return active < maxActive ? tx.apiKey.create({ data }) : null;
  });
}

type KeyRow = { id: string; name: string; prefix: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null };

const summary = (key: KeyRow, routes: RouteUsage[] = []): ApiKeySummary => ({
  id: key.id,
  name: key.name,
  prefix: key.prefix,
  createdAt: key.createdAt.toISOString(),
  lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
  revokedAt: key.revokedAt?.toISOString() ?? null,
  requests: routes.reduce((sum, r) => sum + r.requests, 0),
  routes,
});

/** Usage per key and route since the UTC day `since`, for these keys; each key's busiest route first. */
async function usageByKey(keyIds: string[], since: Date): Promise<Map<string, RouteUsage[]>> {
  const rows = await db().apiUsage.groupBy({
    by: ['keyId', 'route'],
    where: { keyId: { in: keyIds }, day: { gte: since } },
    _sum: { requests: true, errors: true, inputTokens: true, outputTokens: true, costUsd: true },
    orderBy: [{ _sum: { requests: 'desc' } }, { route: 'asc' }],
  });
  const byKey = new Map<string, RouteUsage[]>();
  for (const { keyId, route, _sum: sum } of rows) {
    const usage = { route, requests: sum.requests ?? 0, errors: sum.errors ?? 0, tokens: (sum.inputTokens ?? 0) + (sum.outputTokens ?? 0), costUsd: sum.costUsd ?? 0 };
    byKey.set(keyId, [...(byKey.get(keyId) ?? []), usage]);
  }
  return byKey;
}

/** The owner's keys, active ones first, each newest first, with their requests since `since`. */
export async function listApiKeySummaries(userId: string, since: Date, take = 100): Promise<ApiKeySummary[]> {
  const keys = await db().apiKey.findMany({
    where: { userId },
    // Keys that are not revoked (no revokedAt) come first.
    orderBy: [{ revokedAt: { sort: 'asc', nulls: 'first' } }, { createdAt: 'desc' }],
    take,
  });
  const usage = await usageByKey(keys.map((k) => k.id), since);
  return keys.map((k) => summary(k, usage.get(k.id)));
}

export async function getApiKeySummary(userId: string, id: string, since: Date): Promise<ApiKeySummary | null> {
  const key = await db().apiKey.findFirst({ where: { id, userId } });
  return key && summary(key, (await usageByKey([id], since)).get(id));
}

/**
 * Revokes the owner's key; false when it is not theirs (or does not exist). Revoking twice keeps
 * the first time (plain SQL for COALESCE, which Prisma's update cannot express).
 */
export async function revokeApiKeyRow(userId: string, id: string): Promise<boolean> {
  const count = await db().$executeRaw`UPDATE "ApiKey" SET "revokedAt" = COALESCE("revokedAt", now()) WHERE "id" = ${id} AND "userId" = ${userId}`;
  return count > 0;
}

/** Revokes any key (the admin console); false when there is none with this id. Revoking twice keeps the first time. */
export async function revokeAnyApiKey(viewer: Viewer, id: string): Promise<boolean> {
  assertAdmin(viewer);
  const count = await db().$executeRaw`UPDATE "ApiKey" SET "revokedAt" = COALESCE("revokedAt", now()) WHERE "id" = ${id}`;
  return count > 0;
}

/** A key by the hash of what a program sent, with what authenticating it needs to know about its owner. */
export function findApiKeyByHash(hash: string) {
  return db().apiKey.findUnique({
    where: { hash },
    include: { user: { select: { id: true, email: true, role: true, isAnonymous: true, banned: true, banExpires: true } } },
  });
}

export async function setApiKeyLastUsed(id: string, at: Date): Promise<void> {
  await db().apiKey.update({ where: { id }, data: { lastUsedAt: at } });
}

/** Counts one request on the key's row for its UTC day and route (made on the first request). */
export async function addApiUsage(entry: {
  keyId: string;
  day: Date;
  route: string;
  /** 0 for a job's spending after its request was counted. */
  requests: 0 | 1;
  error: boolean;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}): Promise<void> {
  const errors = entry.error ? 1 : 0;
  await db().$executeRaw`
    INSERT INTO "ApiUsage" ("keyId", "day", "route", "requests", "errors", "inputTokens", "outputTokens", "costUsd")
    VALUES (${entry.keyId}, ${entry.day.toISOString().slice(0, 10)}::date, ${entry.route}, ${entry.requests}, ${errors}, ${entry.inputTokens}, ${entry.outputTokens}, ${entry.costUsd})
    ON CONFLICT ("keyId", "day", "route") DO UPDATE SET
      "requests" = "ApiUsage"."requests" + EXCLUDED."requests",
      "errors" = "ApiUsage"."errors" + EXCLUDED."errors",
      "inputTokens" = "ApiUsage"."inputTokens" + EXCLUDED."inputTokens",
      "outputTokens" = "ApiUsage"."outputTokens" + EXCLUDED."outputTokens",
      "costUsd" = "ApiUsage"."costUsd" + EXCLUDED."costUsd"`;
}

/** Requests made with the key since the UTC day `since`. */
export async function countApiRequestsSince(keyId: string, since: Date): Promise<number> {
  const { _sum } = await db().apiUsage.aggregate({ where: { keyId, day: { gte: since } }, _sum: { requests: true } });
  return _sum.requests ?? 0;
}

/** Every key, newest first, with its owner and its usage since the UTC day `since`: the admin's API keys view. */
export async function listApiKeysForAdmin(viewer: Viewer, since: Date, take = 200) {
  assertAdmin(viewer);
  const keys = await db().apiKey.findMany({
    orderBy: { createdAt: 'desc' },
    take,
    select: { id: true, name: true, prefix: true, requestsPerMinute: true, createdAt: true, lastUsedAt: true, revokedAt: true, user: { select: { email: true } } },
  });
  const usage = await db().apiUsage.groupBy({
    by: ['keyId'],
    where: { keyId: { in: keys.map((k) => k.id) }, day: { gte: since } },
    _sum: { requests: true, errors: true, inputTokens: true, outputTokens: true, costUsd: true },
  });
  const byKey = new Map(usage.map((u) => [u.keyId, u._sum]));
  return keys.map((key) => {
    const sum = byKey.get(key.id);
    return {
      ...key,
      requests: sum?.requests ?? 0,
      errors: sum?.errors ?? 0,
      tokens: (sum?.inputTokens ?? 0) + (sum?.outputTokens ?? 0),
      costUsd: sum?.costUsd ?? 0,
    };
  });
}
