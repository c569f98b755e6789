import { countQuestionsSince, sumAudioSecondsSince, sumUploadBytesSince, sumVideoSecondsSince } from '@/lib/db/usage';
import { AppError, formatBytes } from '@/lib/errors';

/**
 * Daily quotas per kind of user, as data. A day is a UTC calendar day: usage counts from the last
 * UTC midnight, so everyone's quota renews at the same moment and the message can say when.
 * Usage comes from an append-only ledger (lib/db/usage.ts), so deleting a conversation or
 * withdrawing an upload does not give its share back.
 */
export type UserType = 'guest' | 'user' | 'admin';

export interface Quota {
  messagesPerDay: number;
  uploadBytesPerDay: number;
  videoMinutesPerDay: number;
  audioMinutesPerDay: number;
}

const MB = 1024 * 1024;

/** `Infinity` is unlimited. Each value can be overridden with `QUOTA_<TYPE>_<NAME>` (see `quotaEnvName`). */
export const defaultQuotas: Record<UserType, Quota> = {
  guest: { messagesPerDay: 50, uploadBytesPerDay: 200 * MB, videoMinutesPerDay: 10, audioMinutesPerDay: 30 },
  user: { messagesPerDay: 500, uploadBytesPerDay: 2048 * MB, videoMinutesPerDay: 120, audioMinutesPerDay: 600 },
  admin: { messagesPerDay: Infinity, uploadBytesPerDay: Infinity, videoMinutesPerDay: Infinity, audioMinutesPerDay: Infinity },
};

const envSuffix: Record<keyof Quota, string> = {
  messagesPerDay: 'MESSAGES_PER_DAY',
  uploadBytesPerDay: 'UPLOAD_BYTES_PER_DAY',
  videoMinutesPerDay: 'VIDEO_MINUTES_PER_DAY',
  audioMinutesPerDay: 'AUDIO_MINUTES_PER_DAY',
};

/** e.g. `QUOTA_GUEST_MESSAGES_PER_DAY`; values are whole numbers (0 forbids) or `unlimited`. */
export function quotaEnvName(type: UserType, name: keyof Quota): string {
  return `QUOTA_${type.toUpperCase()}_${envSuffix[name]}`;
}

function fromEnv(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  if (raw.toLowerCase() === 'unlimited') return Infinity;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number ≥ 0 or "unlimited", got "${raw}"`);
  return value;
}

/** The quota in force for a kind of user: the defaults with any environment overrides. */
export function quotaFor(type: UserType): Quota {
  const defaults = defaultQuotas[type];
  return {
    messagesPerDay: fromEnv(quotaEnvName(type, 'messagesPerDay'), defaults.messagesPerDay),
    uploadBytesPerDay: fromEnv(quotaEnvName(type, 'uploadBytesPerDay'), defaults.uploadBytesPerDay),
    videoMinutesPerDay: fromEnv(quotaEnvName(type, 'videoMinutesPerDay'), defaults.videoMinutesPerDay),
    audioMinutesPerDay: fromEnv(quotaEnvName(type, 'audioMinutesPerDay'), defaults.audioMinutesPerDay),
  };
}

/** Which quota applies: a guest (anonymous) user, an account, or an admin account. */
export function userTypeOf(user: { role?: string | null; isAnonymous?: boolean | null }): UserType {
  if (user.isAnonymous) return 'guest';
  const roles = (user.role ?? '').split(',').map((r) => r.trim());
  return roles.includes('admin') ? 'admin' : 'user';
}

/** The caller as quotas see them. */
export interface Caller {
  id: string;
  type: UserType;
  /** The API key the request came with, if any: jobs it starts add what they spend to its usage. */
  keyId?: string;
}

/** The video checker to add with video: refuses when `addedMinutes` would exceed today's minutes. */
export function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

function secondsUntilUtcMidnight(now: Date): number {
  return Math.ceil((startOfUtcDay(now).getTime() + 86_400_000 - now.getTime()) / 1000);
}

const typeLabel: Record<UserType, string> = { guest: 'guests', user: 'accounts', admin: 'admins' };

function refusal(caller: Caller, message: string, now: Date): AppError {
  const advice = caller.type === 'guest' ? 'Sign up for more, or try again after midnight UTC.' : 'Try again after midnight UTC.';
  return new AppError('rate_limited', `${message} ${advice}`, { retryAfterSeconds: secondsUntilUtcMidnight(now) });
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Before a new question is stored: refuses it when the caller has used up today's messages. */
export async function checkMessageQuota(caller: Caller, now = new Date()): Promise<void> {
  const limit = quotaFor(caller.type).messagesPerDay;
  if (limit === Infinity) return;
  const sent = await countQuestionsSince(caller.id, startOfUtcDay(now));
  if (sent < limit) return;
  throw refusal(caller, `You have sent ${plural(sent, 'message')} today; the limit for ${typeLabel[caller.type]} is ${limit} per day.`, now);
}

/** Before a batch starts: each of its images is one question to the model, so it counts as a message. */
export async function checkBatchQuota(caller: Caller, images: number, now = new Date()): Promise<void> {
  const limit = quotaFor(caller.type).messagesPerDay;
  if (limit === Infinity) return;
  const sent = await countQuestionsSince(caller.id, startOfUtcDay(now));
  if (sent + images <= limit) return;
  const left = Math.max(0, limit - sent);
  throw refusal(
    caller,
    `This batch has ${plural(images, 'image')} and each counts as a message; you have ${plural(left, 'message')} left today (the limit for ${typeLabel[caller.type]} is ${limit} per day).`,
    now,
  );
}

/**
 * Before an upload of `addedBytes` is stored: refuses it when it would take the caller past
 * today's upload bytes. Uploads running at the same moment do not see each other, so parallel
 * uploads can go past the limit by what is in flight at once (the upload rate limit bounds it).
 */
export async function checkUploadQuota(caller: Caller, addedBytes: number, now = new Date()): Promise<void> {
  (await uploadAllowance(caller, now)).check(addedBytes);
}

/**
 * What the caller may still upload today, read once per request: `check` refuses a file of known
 * size; a body whose size is not known before it is read (chunked, or a declared length that may
 * lie) is stopped at `bytesLeft` and answered with `refuse()`, so a guest's 1 GB stream is cut at
 * their quota, not stored and then refused.
 */
export async function uploadAllowance(
  caller: Caller,
  now = new Date(),
): Promise<{ bytesLeft: number; check: (addedBytes: number) => void; refuse: () => AppError }> {
  const limit = quotaFor(caller.type).uploadBytesPerDay;
  if (limit === Infinity) return { bytesLeft: Infinity, check: () => {}, refuse: () => new AppError('internal', 'unreachable: no upload quota') };
  const uploaded = await sumUploadBytesSince(caller.id, startOfUtcDay(now));
  const bytesLeft = Math.max(0, limit - uploaded);
  return {
    bytesLeft,
    check: (addedBytes) => {
      if (uploaded + addedBytes <= limit) return;
      throw refusal(
        caller,
        `You have uploaded ${formatBytes(uploaded)} today and this file is ${formatBytes(addedBytes)}; the limit for ${typeLabel[caller.type]} is ${formatBytes(limit)} per day.`,
        now,
      );
    },
    refuse: () =>
      refusal(
        caller,
        `This upload is larger than what is left of today's upload quota (${formatBytes(bytesLeft)} of ${formatBytes(limit)} per day for ${typeLabel[caller.type]}).`,
        now,
      ),
  };
}

const minutes = (seconds: number) => `${Math.round((seconds / 60) * 10) / 10} min`;

const minuteQuotas = {
  video: { quota: 'videoMinutesPerDay', used: sumVideoSecondsSince, noun: 'video', item: 'video' },
  audio: { quota: 'audioMinutesPerDay', used: sumAudioSecondsSince, noun: 'recordings', item: 'recording' },
} as const;

/** Before a video or recording of `addedSeconds` is processed: refuses it when it would pass today's minutes of that kind. */
export async function checkMinutesQuota(caller: Caller, kind: keyof typeof minuteQuotas, addedSeconds: number, now = new Date()): Promise<void> {
  const { quota, used: usedSince, noun, item } = minuteQuotas[kind];
  const limitMinutes = quotaFor(caller.type)[quota];
  if (limitMinutes === Infinity) return;
  const used = await usedSince(caller.id, startOfUtcDay(now));
  if (used + addedSeconds <= limitMinutes * 60) return;
  throw refusal(
    caller,
    `You have uploaded ${minutes(used)} of ${noun} today and this ${item} is ${minutes(addedSeconds)}; the limit for ${typeLabel[caller.type]} is ${limitMinutes} min per day.`,
    now,
  );
}
