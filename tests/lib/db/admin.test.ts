import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '@/lib/auth/admin';
import * as adminData from '@/lib/db/admin';
import { listBatchesForAdmin, listUsers, listVideoJobs, searchConversations, setUserBanned, setUserRole, usageByDayAndModel, usageByUser } from '@/lib/db/admin';
import { listApiKeysForAdmin, revokeAnyApiKey } from '@/lib/db/api-keys';
import { listAudit, recordAudit } from '@/lib/db/audit';
import { db } from '@/lib/db/client';
import { testPrisma } from '@/tests/support/db';
import { ensureTestUser } from '@/tests/support/users';

const prisma = testPrisma();
const owner = `admin-test-${randomUUID()}`;
const model = `compatible:admin-test-${randomUUID().slice(0, 8)}`;
const tag = randomUUID().slice(0, 8);
let conversationId: string;
// What a page passes on after its own check; the data functions check it again.
const admin = { id: owner, role: 'admin', isAnonymous: false };

beforeAll(async () => {
  await ensureTestUser(owner, { anonymous: false });
  const conversation = await prisma.conversation.create({ data: { userId: owner, title: `Harbour photo ${tag}`, modelId: model } });
  conversationId = conversation.id;
  const answer = (inputTokens: number, outputTokens: number, costUsd: number, status: 'complete' | 'error' = 'complete') =>
    prisma.message.create({
      data: { id: randomUUID(), conversationId, role: 'assistant', parts: [], status, modelId: model, inputTokens, outputTokens, costUsd, latencyMs: 100 },
    });
  await prisma.message.create({ data: { id: randomUUID(), conversationId, role: 'user', parts: [{ type: 'text', text: 'q' }] } });
  await answer(100, 20, 0.001);
  await answer(300, 40, 0.003, 'error');
  // A batch: two images answered (one from the cache, free), one failed (no answer, not counted).
  const media = await prisma.media.create({ data: { userId: owner, sha256: randomUUID(), mediaType: 'image/png', filename: 'b.png', bytes: 1, width: 2, height: 2, originalKey: 'o', previewKey: 'p' } });
  const batch = await prisma.batch.create({ data: { userId: owner, prompt: `Batch ${tag}`, modelId: model, detail: 'auto', status: 'completed' } });
  const item = (index: number, data: object) => prisma.batchItem.create({ data: { batchId: batch.id, index, mediaId: media.id, finishedAt: new Date(), ...data } });
  await item(0, { status: 'succeeded', inputTokens: 50, outputTokens: 10, costUsd: 0.0005 });
  await item(1, { status: 'succeeded', cached: true, inputTokens: 50, outputTokens: 10, costUsd: 0 });
  await item(2, { status: 'failed', error: 'The model server failed (HTTP 500).' });
});

afterAll(async () => {
  await prisma.$disconnect();
  await db().$disconnect();
});

describe('admin queries', () => {
  it('sums tokens and cost per day and model, batch images included', async () => {
    const rows = (await usageByDayAndModel(admin, 30)).filter((r) => r.modelId === model);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ answers: 4, inputTokens: 500, outputTokens: 80 });
    expect(rows[0].costUsd).toBeCloseTo(0.0045, 10);
  });

  it('ranks users by cost, labelling accounts by email', async () => {
    const mine = (await usageByUser(admin, 30, 1000)).find((r) => r.label === `${owner}@test.glimpse.invalid`);
    expect(mine).toMatchObject({ answers: 4, tokens: 580 });
    expect(mine?.costUsd).toBeCloseTo(0.0045, 10);
  });

  it("lists batches with their images' counts and cost", async () => {
    const mine = (await listBatchesForAdmin(admin, 1000)).find((b) => b.prompt === `Batch ${tag}`);
    expect(mine).toMatchObject({ status: 'completed', total: 3, succeeded: 2, failed: 1, cached: 1, user: { email: `${owner}@test.glimpse.invalid` } });
    expect(mine?.costUsd).toBeCloseTo(0.0005, 10);
  });

  it('filters history by title, user, model and errors', async () => {
    expect((await searchConversations(admin, { q: `harbour PHOTO ${tag}` })).map((c) => c.id)).toEqual([conversationId]);
    expect((await searchConversations(admin, { q: tag, user: owner })).map((c) => c.id)).toEqual([conversationId]);
    expect((await searchConversations(admin, { q: tag, model })).map((c) => c.id)).toEqual([conversationId]);
    expect((await searchConversations(admin, { q: tag, errors: true })).map((c) => c.id)).toEqual([conversationId]);
    expect(await searchConversations(admin, { q: tag, shared: true })).toEqual([]);
    expect(await searchConversations(admin, { q: tag, model: 'openai:none' })).toEqual([]);
    // Two conditions on messages must both hold: a model that never erred here finds nothing.
    expect(await searchConversations(admin, { q: tag, model: 'openai:none', errors: true })).toEqual([]);
    expect((await searchConversations(admin, { q: tag, model, errors: true })).map((c) => c.id)).toEqual([conversationId]);
  });

  it('filters history by the kind of media in a conversation', async () => {
    const video = await prisma.conversation.create({ data: { userId: owner, title: `Harbour video ${tag}`, modelId: model } });
    const media = { userId: owner, sha256: randomUUID(), mediaType: 'video/mp4', filename: 'v.mp4', bytes: 1, width: 2, height: 2, originalKey: 'o', previewKey: 'p' };
    await prisma.media.create({ data: { ...media, conversationId: video.id, kind: 'video', durationMs: 5000 } });
    await prisma.media.create({ data: { ...media, conversationId, mediaType: 'image/png', filename: 'p.png' } });
    expect((await searchConversations(admin, { q: tag, media: 'video' })).map((c) => c.id)).toEqual([video.id]);
    expect((await searchConversations(admin, { q: tag, media: 'image' })).map((c) => c.id)).toEqual([conversationId]);
    expect((await searchConversations(admin, { q: tag })).map((c) => c.id).sort()).toEqual([conversationId, video.id].sort());
  });

  it('lists video jobs newest first with their video and owner, by status', async () => {
    const media = { userId: owner, sha256: randomUUID(), mediaType: 'video/mp4', bytes: 1, width: 2, height: 2, originalKey: 'o', previewKey: 'p', kind: 'video', durationMs: 5000 };
    const failed = await prisma.media.create({ data: { ...media, filename: `failed-${tag}.mp4` } });
    const done = await prisma.media.create({ data: { ...media, filename: `done-${tag}.mp4` } });
    await prisma.videoJob.create({ data: { mediaId: failed.id, modelId: model, settings: {}, status: 'failed', error: 'The model server failed (HTTP 500).' } });
    await prisma.videoJob.create({ data: { mediaId: done.id, modelId: model, settings: {}, status: 'succeeded', modelCalls: 3, cachedCalls: 1, costUsd: 0.002 } });

    const mine = (await listVideoJobs(admin)).filter((j) => j.media.filename.endsWith(`${tag}.mp4`));
    expect(mine.map((j) => j.media.filename)).toEqual([`done-${tag}.mp4`, `failed-${tag}.mp4`]);
    expect(mine[0]).toMatchObject({ status: 'succeeded', modelCalls: 3, cachedCalls: 1, media: { user: { email: `${owner}@test.glimpse.invalid` } } });
    const failedOnly = (await listVideoJobs(admin, { status: 'failed' })).filter((j) => j.media.filename.endsWith(`${tag}.mp4`));
    expect(failedOnly.map((j) => j.error)).toEqual(['The model server failed (HTTP 500).']);
  });

  it('bans a user and ends their sessions at once; roles change', async () => {
    const target = `ban-test-${randomUUID()}`;
    await ensureTestUser(target, { anonymous: false });
    await prisma.session.create({ data: { id: randomUUID(), token: randomUUID(), userId: target, expiresAt: new Date(Date.now() + 86_400_000) } });
    await setUserBanned(admin, target, true);
    expect(await prisma.user.findUniqueOrThrow({ where: { id: target } })).toMatchObject({ banned: true, banReason: 'Banned by an administrator' });
    expect(await prisma.session.count({ where: { userId: target } })).toBe(0);
    await setUserBanned(admin, target, false);
    expect(await prisma.user.findUniqueOrThrow({ where: { id: target } })).toMatchObject({ banned: false, banReason: null });
    await setUserRole(admin, target, 'admin');
    expect((await listUsers(admin, target)).map((u) => u.role)).toEqual(['admin']);
  });

  it('records admin actions and lists them newest first with the actor’s email', async () => {
    await recordAudit({ actorId: owner, action: 'view_conversation', targetType: 'conversation', targetId: conversationId });
    const [latest] = (await listAudit(admin, 1000)).filter((e) => e.actorId === owner);
    expect(latest).toMatchObject({ action: 'view_conversation', targetId: conversationId, actorEmail: `${owner}@test.glimpse.invalid` });
  });
});

describe('admin data functions check the role themselves', () => {
  // Every function the console reads or writes through, found by export, so a new one is covered too.
  const adminOnly: Record<string, (viewer: Viewer | null) => Promise<unknown>> = {
    ...Object.fromEntries(
      Object.entries(adminData)
        .filter(([, value]) => typeof value === 'function')
        .map(([name, fn]) => [name, (viewer: Viewer | null) => (fn as (v: unknown, ...rest: unknown[]) => Promise<unknown>)(viewer, 'x', 'admin')]),
    ),
    listAudit: (viewer) => listAudit(viewer!),
    listApiKeysForAdmin: (viewer) => listApiKeysForAdmin(viewer!, new Date(0)),
    revokeAnyApiKey: (viewer) => revokeAnyApiKey(viewer!, 'x'),
  };
  const notAdmins: [string, Viewer | null][] = [
    ['nobody', null],
    ['a guest', { id: 'g', role: 'user', isAnonymous: true }],
    ['an account', { id: 'u', role: 'user', isAnonymous: false }],
    ['a guest whose role says admin', { id: 'g', role: 'admin', isAnonymous: true }],
  ];

  it.each(Object.keys(adminOnly))('%s refuses everyone but an admin', async (name) => {
    for (const [who, viewer] of notAdmins) {
      await expect(adminOnly[name](viewer), `${name} for ${who}`).rejects.toMatchObject({ code: 'not_found' });
    }
  });

  it('the list is not empty and an admin is let through', async () => {
    expect(Object.keys(adminOnly).length).toBeGreaterThan(15);
    await expect(adminData.usageByUser(admin)).resolves.toBeInstanceOf(Array);
  });

  it('a refused write writes nothing', async () => {
    const target = `role-test-${randomUUID()}`;
    await ensureTestUser(target, { anonymous: false });
    await expect(setUserRole({ id: target, role: 'user', isAnonymous: false }, target, 'admin')).rejects.toMatchObject({ code: 'not_found' });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: target } })).role).not.toBe('admin');
  });
});
