import { Prisma } from '@/lib/generated/prisma/client';
import { assertAdmin, type Viewer } from '@/lib/auth/admin';
import { db } from '@/lib/db/client';

export interface HistoryFilter {
  q?: string;
  user?: string;
  model?: string;
  from?: Date;
  to?: Date;
  shared?: boolean;
  errors?: boolean;
  /** Conversations with at least one image, video or recording. */
  media?: 'image' | 'video' | 'audio';
}

/** Every conversation, newest first, narrowed by the console's filters. */
export async function searchConversations(viewer: Viewer, filter: HistoryFilter, take = 100) {
  assertAdmin(viewer);
  // Each filter is its own condition: two on messages (model, errors) must both hold, not replace each other.
  const conditions: Prisma.ConversationWhereInput[] = [
    filter.q ? { title: { contains: filter.q, mode: 'insensitive' } } : {},
    filter.user ? { user: { email: { contains: filter.user, mode: 'insensitive' } } } : {},
    filter.model ? { messages: { some: { modelId: filter.model } } } : {},
    filter.from || filter.to ? { updatedAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lte: filter.to } : {}) } } : {},
    filter.shared ? { shareLinks: { some: {} } } : {},
    filter.errors ? { messages: { some: { status: 'error' } } } : {},
    filter.media ? { media: { some: { kind: filter.media } } } : {},
  ];
  const where: Prisma.ConversationWhereInput = { AND: conditions };
  return db().conversation.findMany({
    where,
    orderBy: { updatedAt: 'desc' },
    take,
    select: {
      id: true,
      title: true,
      updatedAt: true,
      user: { select: { email: true, isAnonymous: true } },
      _count: { select: { messages: true, media: true, shareLinks: true } },
    },
  });
}

export async function conversationForAdmin(viewer: Viewer, id: string) {
  assertAdmin(viewer);
  return db().conversation.findUnique({
    where: { id },
    include: { messages: { orderBy: { createdAt: 'asc' } }, user: { select: { email: true, isAnonymous: true } } },
  });
}

/** One scene's frame of anyone's video: the console's timeline. */
export async function videoFrameForAdmin(viewer: Viewer, mediaId: string, index: number) {
  assertAdmin(viewer);
  return db().videoFrame.findUnique({ where: { mediaId_index: { mediaId, index } } });
}

/** Any upload, whoever's it is: the console's media routes. */
export async function mediaForAdmin(viewer: Viewer, id: string) {
  assertAdmin(viewer);
  return db().media.findUnique({ where: { id } });
}

export async function usedModels(viewer: Viewer) {
  assertAdmin(viewer);
  return db().message.findMany({ where: { modelId: { not: null } }, distinct: ['modelId'], select: { modelId: true } });
}

export interface UsageRow {
  day: string;
  modelId: string;
  answers: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** Tokens and estimated cost per day and model, from stored answers and batch images (cache hits cost nothing). */
export async function usageByDayAndModel(viewer: Viewer, days = 30): Promise<UsageRow[]> {
  assertAdmin(viewer);
  const rows = await db().$queryRaw<{ day: Date; modelId: string; answers: bigint; input: bigint | null; output: bigint | null; cost: number | null }[]>`
    SELECT date_trunc('day', at) AS day, "modelId", count(*) AS answers,
           sum("inputTokens") AS input, sum("outputTokens") AS output, sum("costUsd") AS cost
    FROM (
      SELECT "createdAt" AS at, "modelId", "inputTokens", "outputTokens", "costUsd" FROM "Message"
      WHERE role = 'assistant' AND "modelId" IS NOT NULL
      UNION ALL
      SELECT i."finishedAt", b."modelId", i."inputTokens", i."outputTokens", i."costUsd"
      FROM "BatchItem" i JOIN "Batch" b ON b.id = i."batchId" WHERE i.status = 'succeeded'
    ) answers
    WHERE at > now() - make_interval(days => ${days})
    GROUP BY 1, 2 ORDER BY 1 DESC, 2`;
  return rows.map((r) => ({
    day: r.day.toISOString().slice(0, 10),
    modelId: r.modelId,
    answers: Number(r.answers),
    inputTokens: Number(r.input ?? 0),
    outputTokens: Number(r.output ?? 0),
    costUsd: r.cost ?? 0,
  }));
}

/** The heaviest users by estimated cost. */
export async function usageByUser(viewer: Viewer, days = 30, take = 20) {
  assertAdmin(viewer);
  const rows = await db().$queryRaw<{ email: string; guest: boolean; answers: bigint; tokens: bigint | null; cost: number | null }[]>`
    SELECT u.email, u."isAnonymous" AS guest, count(*) AS answers, sum(coalesce(a."inputTokens", 0) + coalesce(a."outputTokens", 0)) AS tokens, sum(a."costUsd") AS cost
    FROM (
      SELECT c."userId", m."createdAt" AS at, m."inputTokens", m."outputTokens", m."costUsd"
      FROM "Message" m JOIN "Conversation" c ON c.id = m."conversationId" WHERE m.role = 'assistant'
      UNION ALL
      SELECT b."userId", i."finishedAt", i."inputTokens", i."outputTokens", i."costUsd"
      FROM "BatchItem" i JOIN "Batch" b ON b.id = i."batchId" WHERE i.status = 'succeeded'
    ) a JOIN "User" u ON u.id = a."userId"
    WHERE a.at > now() - make_interval(days => ${days})
    GROUP BY u.email, u."isAnonymous" ORDER BY cost DESC NULLS LAST, tokens DESC NULLS LAST LIMIT ${take}`;
  // Guests have placeholder addresses: show them as guests, told apart by a short id.
  const label = (r: (typeof rows)[number]) => (r.guest ? `guest ${r.email.slice(5, 11)}` : r.email);
  return rows.map((r) => ({ label: label(r), answers: Number(r.answers), tokens: Number(r.tokens ?? 0), costUsd: r.cost ?? 0 }));
}

/** Cache effectiveness, latency percentiles and error rate over finished answers. */
export async function answerHealth(viewer: Viewer, days = 30) {
  assertAdmin(viewer);
  const [row] = await db().$queryRaw<
    { total: bigint; cached: bigint; errors: bigint; saved: bigint | null; p50: number | null; p95: number | null; p99: number | null }[]
  >`
    SELECT count(*) AS total,
           count(*) FILTER (WHERE cached) AS cached,
           count(*) FILTER (WHERE status = 'error') AS errors,
           sum(coalesce("inputTokens", 0) + coalesce("outputTokens", 0)) FILTER (WHERE cached) AS saved,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY "latencyMs") FILTER (WHERE status = 'complete' AND NOT cached) AS p50,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY "latencyMs") FILTER (WHERE status = 'complete' AND NOT cached) AS p95,
           percentile_cont(0.99) WITHIN GROUP (ORDER BY "latencyMs") FILTER (WHERE status = 'complete' AND NOT cached) AS p99
    FROM "Message"
    WHERE role = 'assistant' AND status <> 'streaming' AND "createdAt" > now() - make_interval(days => ${days})`;
  const total = Number(row.total);
  return {
    answers: total,
    cacheHitRate: total ? Number(row.cached) / total : 0,
    tokensSaved: Number(row.saved ?? 0),
    errorRate: total ? Number(row.errors) / total : 0,
    latencyMs: { p50: row.p50, p95: row.p95, p99: row.p99 },
  };
}

export async function listUsers(viewer: Viewer, q: string | undefined, take = 200) {
  assertAdmin(viewer);
  return db().user.findMany({
    where: q ? { email: { contains: q, mode: 'insensitive' } } : { isAnonymous: false },
    orderBy: { createdAt: 'desc' },
    take,
    select: { id: true, name: true, email: true, role: true, banned: true, isAnonymous: true, createdAt: true, _count: { select: { conversations: true } } },
  });
}

export async function setUserRole(viewer: Viewer, id: string, role: 'user' | 'admin') {
  assertAdmin(viewer);
  await db().user.update({ where: { id }, data: { role } });
}

/** Banning also ends the person's sessions, so it takes effect now, not at their next sign-in. */
export async function setUserBanned(viewer: Viewer, id: string, banned: boolean, reason?: string) {
  assertAdmin(viewer);
  await db().$transaction([
    db().user.update({ where: { id }, data: { banned, banReason: banned ? (reason ?? 'Banned by an administrator') : null } }),
    ...(banned ? [db().session.deleteMany({ where: { userId: id } })] : []),
  ]);
}

export async function listAllShareLinks(viewer: Viewer, take = 200) {
  assertAdmin(viewer);
  return db().shareLink.findMany({
    orderBy: { createdAt: 'desc' },
    take,
    include: { conversation: { select: { title: true } }, user: { select: { email: true } } },
  });
}

export async function revokeShareLinkAsAdmin(viewer: Viewer, id: string) {
  assertAdmin(viewer);
  await db().shareLink.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
}

/** Processing jobs (videos and recordings), newest first, with whose upload it is: the admin's Jobs view. */
export async function listVideoJobs(viewer: Viewer, filter: { status?: 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled' } = {}) {
  assertAdmin(viewer);
  return db().videoJob.findMany({
    where: filter.status ? { status: filter.status } : {},
    orderBy: { createdAt: 'desc' },
    take: 200,
    include: { media: { select: { filename: true, kind: true, durationMs: true, user: { select: { email: true, isAnonymous: true } } } } },
  });
}

/** Image batches, newest first, with whose they are and their items' counts and cost: the admin's Jobs view. */
export async function listBatchesForAdmin(viewer: Viewer, take = 100) {
  assertAdmin(viewer);
  const batches = await db().batch.findMany({ orderBy: { createdAt: 'desc' }, take, include: { user: { select: { email: true, isAnonymous: true } } } });
  const counts = await db().batchItem.groupBy({
    by: ['batchId', 'status', 'cached'],
    where: { batchId: { in: batches.map((b) => b.id) } },
    _count: { _all: true },
    _sum: { costUsd: true },
  });
  return batches.map((batch) => {
    const mine = counts.filter((c) => c.batchId === batch.id);
    const sum = (pick: (c: (typeof mine)[number]) => number) => mine.reduce((total, c) => total + pick(c), 0);
    return {
      ...batch,
      total: sum((c) => c._count._all),
      succeeded: sum((c) => (c.status === 'succeeded' ? c._count._all : 0)),
      failed: sum((c) => (c.status === 'failed' ? c._count._all : 0)),
      cached: sum((c) => (c.status === 'succeeded' && c.cached ? c._count._all : 0)),
      costUsd: sum((c) => c._sum.costUsd ?? 0),
    };
  });
}
