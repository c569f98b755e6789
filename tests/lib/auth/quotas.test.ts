/**
 * Daily quotas counted from the real tables: questions in the user's conversations and bytes of
 * the user's uploads since UTC midnight, per kind of user, with environment overrides.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkMessageQuota, checkUploadQuota, checkMinutesQuota, defaultQuotas, quotaFor, userTypeOf, type Caller, type UserType } from '@/lib/auth/quotas';
import { db } from '@/lib/db/client';
import { errorResponse } from '@/lib/errors';
import { testPrisma } from '@/tests/support/db';
import { ensureTestUser } from '@/tests/support/users';
import { deleteConversation } from '@/lib/db/conversations';
import { saveQuestion } from '@/lib/db/messages';
import { countQuestionsSince } from '@/lib/db/usage';
import { rejectionWith } from '@/tests/support/errors';

const prisma = testPrisma();
const MB = 1024 * 1024;

// A fixed "now" so rows can sit just before and just after the day's start.
const now = new Date('2026-03-10T15:00:00Z');
const today = (minutes: number) => new Date(Date.UTC(2026, 2, 10, 0, minutes));
const yesterday = new Date('2026-03-09T23:59:59Z');

afterEach(() => {
  vi.unstubAllEnvs();
});

afterAll(async () => {
  await prisma.$disconnect();
  await db().$disconnect();
});

async function newUser(type: UserType): Promise<Caller> {
  const id = `quota-${type}-${randomUUID()}`;
  await ensureTestUser(id, { anonymous: type === 'guest' });
  if (type === 'admin') await prisma.user.update({ where: { id }, data: { role: 'admin' } });
  return { id, type };
}

/** `count` questions asked at `at`, as the ledger records them. */
async function addQuestions(userId: string, count: number, at: Date) {
  await prisma.usageEvent.createMany({ data: Array.from({ length: count }, () => ({ userId, kind: 'message', amount: 1, createdAt: at })) });
}

async function addUpload(userId: string, bytes: number, at: Date) {
  await prisma.usageEvent.create({ data: { userId, kind: 'upload_bytes', amount: bytes, createdAt: at } });
}

const refusal = (check: Promise<void>) => rejectionWith(check, 'rate_limited');

describe('messages per day', () => {
  it('counts today’s questions only: not yesterday’s, not other users’', async () => {
    const guest = await newUser('guest');
    const stranger = await newUser('guest');
    await addQuestions(guest.id, 49, today(1));
    await addQuestions(guest.id, 30, yesterday);
    await addQuestions(stranger.id, 50, today(2));

    await expect(checkMessageQuota(guest, now)).resolves.toBeUndefined();

    await addQuestions(guest.id, 1, today(3));
    const error = await refusal(checkMessageQuota(guest, now));
    expect(error.message).toBe('You have sent 50 messages today; the limit for guests is 50 per day. Sign up for more, or try again after midnight UTC.');
    // 15:00 UTC: nine hours until the quota renews.
    expect(error.retryAfterSeconds).toBe(9 * 3600);
    const response = errorResponse(error);
    expect(response.status).toBe(429);
    expect(response.headers.get('Retry-After')).toBe(String(9 * 3600));
    expect(await response.json()).toEqual({ error: { code: 'rate_limited', message: error.message } });
  });

  it('gives accounts 500 and admins no limit', async () => {
    const user = await newUser('user');
    const admin = await newUser('admin');
    await addQuestions(user.id, 499, today(5));
    await addQuestions(admin.id, 600, today(5));
    await expect(checkMessageQuota(user, now)).resolves.toBeUndefined();
    await expect(checkMessageQuota(admin, now)).resolves.toBeUndefined();

    await addQuestions(user.id, 1, today(6));
    const error = await refusal(checkMessageQuota(user, now));
    expect(error.message).toBe('You have sent 500 messages today; the limit for accounts is 500 per day. Try again after midnight UTC.');
  });

  it('takes the limit from the environment', async () => {
    const guest = await newUser('guest');
    await addQuestions(guest.id, 1, today(1));
    vi.stubEnv('QUOTA_GUEST_MESSAGES_PER_DAY', '2');
    await expect(checkMessageQuota(guest, now)).resolves.toBeUndefined();
    vi.stubEnv('QUOTA_GUEST_MESSAGES_PER_DAY', '1');
    expect((await refusal(checkMessageQuota(guest, now))).message).toMatch(/^You have sent 1 message today; the limit for guests is 1 per day\./);
    vi.stubEnv('QUOTA_GUEST_MESSAGES_PER_DAY', 'unlimited');
    await expect(checkMessageQuota(guest, now)).resolves.toBeUndefined();
    vi.stubEnv('QUOTA_GUEST_MESSAGES_PER_DAY', 'lots');
    await expect(checkMessageQuota(guest, now)).rejects.toThrow('QUOTA_GUEST_MESSAGES_PER_DAY must be a whole number ≥ 0 or "unlimited", got "lots"');
  });
});

describe('upload bytes per day', () => {
  it('counts today’s uploads and the new file against the limit', async () => {
    const guest = await newUser('guest');
    const stranger = await newUser('guest');
    await addUpload(guest.id, 100 * MB, today(1));
    await addUpload(guest.id, 50 * MB, today(2));
    await addUpload(guest.id, 150 * MB, yesterday);
    await addUpload(stranger.id, 150 * MB, today(3));

    // 150 MB used: exactly 200 MB with the new file is allowed, a byte more is not.
    await expect(checkUploadQuota(guest, 50 * MB, now)).resolves.toBeUndefined();
    const error = await refusal(checkUploadQuota(guest, 50 * MB + 1, now));
    expect(error.message).toBe(
      'You have uploaded 150.0 MB today and this file is 50.0 MB; the limit for guests is 200.0 MB per day. Sign up for more, or try again after midnight UTC.',
    );
    expect(error.retryAfterSeconds).toBe(9 * 3600);
  });

  it('gives accounts 2 GB, admins no limit, and reads overrides in bytes', async () => {
    const user = await newUser('user');
    const admin = await newUser('admin');
    await addUpload(user.id, 2000 * MB, today(1));
    await addUpload(admin.id, 2000 * MB, today(1));
    await addUpload(admin.id, 2000 * MB, today(1));
    await expect(checkUploadQuota(user, 48 * MB, now)).resolves.toBeUndefined();
    expect((await refusal(checkUploadQuota(user, 49 * MB, now))).message).toMatch(/the limit for accounts is 2\.0 GB per day\. Try again after midnight UTC\.$/);
    await expect(checkUploadQuota(admin, 20 * MB, now)).resolves.toBeUndefined();

    vi.stubEnv('QUOTA_ADMIN_UPLOAD_BYTES_PER_DAY', String(3000 * MB));
    expect((await refusal(checkUploadQuota(admin, 1, now))).message).toMatch(/the limit for admins is 2\.9 GB per day/);
    vi.stubEnv('QUOTA_USER_UPLOAD_BYTES_PER_DAY', '0');
    expect((await refusal(checkUploadQuota(await newUser('user'), 1, now))).message).toMatch(/^You have uploaded 0 B today and this file is 1 B; the limit for accounts is 0 B per day\./);
  });
});

describe('video minutes per day', () => {
  it('counts today’s video seconds and the new video against the limit', async () => {
    const guest = await newUser('guest');
    await prisma.usageEvent.create({ data: { userId: guest.id, kind: 'video_seconds', amount: 420, createdAt: today(1) } });
    await prisma.usageEvent.create({ data: { userId: guest.id, kind: 'video_seconds', amount: 3000, createdAt: yesterday } });

    // 7 min used of 10: a 3-minute video fits exactly, a second more does not.
    await expect(checkMinutesQuota(guest, 'video', 180, now)).resolves.toBeUndefined();
    const error = await refusal(checkMinutesQuota(guest, 'video', 181, now));
    expect(error.message).toBe(
      'You have uploaded 7 min of video today and this video is 3 min; the limit for guests is 10 min per day. Sign up for more, or try again after midnight UTC.',
    );
    await expect(checkMinutesQuota(await newUser('admin'), 'video', 100_000, now)).resolves.toBeUndefined();
  });
});

describe('recording minutes per day', () => {
  it('counts today’s recording seconds apart from video seconds', async () => {
    const guest = await newUser('guest');
    await prisma.usageEvent.create({ data: { userId: guest.id, kind: 'audio_seconds', amount: 25 * 60, createdAt: today(1) } });
    await prisma.usageEvent.create({ data: { userId: guest.id, kind: 'video_seconds', amount: 9 * 60, createdAt: today(1) } });

    // 25 min of recordings used of 30: five more minutes fit, the video minutes do not count here.
    await expect(checkMinutesQuota(guest, 'audio', 300, now)).resolves.toBeUndefined();
    const error = await refusal(checkMinutesQuota(guest, 'audio', 301, now));
    expect(error.message).toBe(
      'You have uploaded 25 min of recordings today and this recording is 5 min; the limit for guests is 30 min per day. Sign up for more, or try again after midnight UTC.',
    );
    vi.stubEnv('QUOTA_GUEST_AUDIO_MINUTES_PER_DAY', '0');
    await expect(refusal(checkMinutesQuota(await newUser('guest'), 'audio', 1, now))).resolves.toBeInstanceOf(Error);
  });
});

describe('quotas as data', () => {
  it('has the documented defaults, overridable per kind of user and quota', () => {
    expect(defaultQuotas).toEqual({
      guest: { messagesPerDay: 50, uploadBytesPerDay: 200 * MB, videoMinutesPerDay: 10, audioMinutesPerDay: 30 },
      user: { messagesPerDay: 500, uploadBytesPerDay: 2048 * MB, videoMinutesPerDay: 120, audioMinutesPerDay: 600 },
      admin: { messagesPerDay: Infinity, uploadBytesPerDay: Infinity, videoMinutesPerDay: Infinity, audioMinutesPerDay: Infinity },
    });
    vi.stubEnv('QUOTA_USER_VIDEO_MINUTES_PER_DAY', '30');
    expect(quotaFor('user')).toEqual({ messagesPerDay: 500, uploadBytesPerDay: 2048 * MB, videoMinutesPerDay: 30, audioMinutesPerDay: 600 });
    expect(quotaFor('guest')).toEqual(defaultQuotas.guest);
  });

  it('tells guests, accounts and admins apart', () => {
    expect(userTypeOf({ isAnonymous: true, role: 'user' })).toBe('guest');
    expect(userTypeOf({ isAnonymous: false, role: 'user' })).toBe('user');
    expect(userTypeOf({ isAnonymous: null, role: null })).toBe('user');
    expect(userTypeOf({ isAnonymous: false, role: 'admin' })).toBe('admin');
    expect(userTypeOf({ isAnonymous: false, role: 'user,admin' })).toBe('admin');
  });
});

describe('the usage ledger', () => {
  it('counts a question when it is saved, and deleting the conversation does not give it back', async () => {
    const caller = await newUser('guest');
    const since = new Date(Date.now() - 1000);
    const conversationId = randomUUID();
    await saveQuestion({
      userId: caller.id,
      conversationId,
      newConversation: { title: 'q', modelId: 'compatible:stub-vision' },
      message: { id: randomUUID(), parts: [{ type: 'text', text: 'counted?' }] },
      mediaIds: [],
    });
    expect(await countQuestionsSince(caller.id, since)).toBe(1);
    expect(await deleteConversation(caller.id, conversationId)).toBe(true);
    expect(await countQuestionsSince(caller.id, since)).toBe(1);
  });
});
