/**
 * ingestAudio end to end against the test database, pg-boss, local blob storage under a temp
 * DATA_DIR and real ffmpeg: a recording is known by its content whatever its name, and is either
 * stored with its waveform and queued for transcription, or refused with a message for people and
 * nothing of it left anywhere (row, job, queue entry, blob, temp file, usage).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Caller } from '@/lib/auth/quotas';
import { db } from '@/lib/db/client';
import type { ErrorCode } from '@/lib/errors';
import { jobQueue, queues, stopJobQueue } from '@/lib/jobs/boss';
import { runTool } from '@/lib/media/video/run';
import { generate } from '@/tests/support/ffmpeg';
import { ingestAudio, noTranscriptionMessage } from '@/lib/uploads/audio';
import { badAudio, mp3WithoutLengthHeader, notAudio, spokenLayoutOfItsOwn, videoWithSound, webmAudio } from '@/tests/support/audio';
import { useLocalDataDir } from '@/tests/support/data-dir';
import { rejectionWith } from '@/tests/support/errors';
import { pointAtStub } from '@/tests/support/stub-env';
import { ensureTestUser } from '@/tests/support/users';

const data = useLocalDataDir('audio-upload');
let dir = '';
const caller: Caller = { id: `audio-upload-${randomUUID()}`, type: 'user' };

type Layout = Awaited<ReturnType<typeof spokenLayoutOfItsOwn>>;
let speech: Layout;

const body = async (file: string) => new Response(await readFile(file)).body!;
const ffmpeg = generate;

/** Every file under the data dir's blob store, as keys. */
async function blobKeys(): Promise<string[]> {
  const root = path.join(data.dir, 'blobs');
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

async function queuedJobIds(): Promise<Set<string>> {
  const jobs = await (await jobQueue()).findJobs(queues.audioProcess.name, { limit: 100_000 });
  return new Set(jobs.map((job) => job.id));
}

/** What a refusal must leave as it found: the caller's rows and ledger, the blobs, the temp dir and the queue. */
async function snapshot(who: Caller) {
  return {
    media: await db().media.count({ where: { userId: who.id } }),
    jobs: await db().videoJob.count({ where: { media: { userId: who.id } } }),
    usage: await db().usageEvent.count({ where: { userId: who.id } }),
    blobs: await blobKeys(),
    queue: await queuedJobIds(),
  };
}

/** Refused with `code` and a message matching `message`, and nothing of the upload kept. */
async function expectRefused(who: Caller, file: string | ReadableStream<Uint8Array>, filename: string, code: ErrorCode, message: RegExp | string) {
  const before = await snapshot(who);
  const error = await rejectionWith(ingestAudio(who, typeof file === 'string' ? await body(file) : file, filename), code);
  if (typeof message === 'string') expect(error.message).toBe(message);
  else expect(error.message).toMatch(message);
  // Written for people: no stack, no file paths, no tool output.
  expect(error.message).not.toMatch(/\n|\/tmp\/|ffprobe|ffmpeg|Error:/);

  const after = await snapshot(who);
  expect(after.media).toBe(before.media);
  expect(after.jobs).toBe(before.jobs);
  expect(after.usage).toBe(before.usage);
  expect(after.blobs).toEqual(before.blobs);
  expect(await data.tempFiles()).toEqual([]);
  // Jobs other test files queued meanwhile are theirs: each points at an upload that exists, and not at one of this caller's.
  const added = [...after.queue].filter((id) => !before.queue.has(id));
  for (const id of added) {
    const job = await (await jobQueue()).getJobById<{ mediaId: string }>(queues.audioProcess.name, id);
    const media = await db().media.findUnique({ where: { id: job!.data.mediaId } });
    expect(media).not.toBeNull();
    expect(media!.userId).not.toBe(who.id);
  }
  return error;
}

beforeAll(async () => {
  await ensureTestUser(caller.id);
  dir = path.join(data.dir, 'fixtures');
  await mkdir(dir, { recursive: true });
  speech = await spokenLayoutOfItsOwn(dir, 'speech', [{ silenceMs: 400 }, { sentence: 0 }, { silenceMs: 900 }, { sentence: 1 }, { silenceMs: 500 }]);
}, 60_000);

beforeEach(() => {
  // Ingest needs no server: the model is only named here, at a closed port; processing is tested elsewhere.
  pointAtStub('http://127.0.0.1:9/v1', { transcription: 'compatible:stub-whisper' });
  vi.stubEnv('MAX_AUDIO_BYTES', undefined);
  vi.stubEnv('MAX_AUDIO_SECONDS', undefined);
  vi.stubEnv('MIN_AUDIO_MS', undefined);
});

afterAll(async () => {
  await stopJobQueue();
  await db().$disconnect();
});

describe('taking in a recording', () => {
  // Every file is named "voice.mp3": what it is comes from its content.
  const encodings: [format: string, args: string[], mediaType: string][] = [
    ['MP3', ['-c:a', 'libmp3lame', '-f', 'mp3'], 'audio/mpeg'],
    ['M4A (AAC)', ['-c:a', 'aac', '-f', 'ipod'], 'audio/mp4'],
    ['WAV', ['-c:a', 'pcm_s16le', '-f', 'wav'], 'audio/wav'],
    ['OGG (Opus)', ['-c:a', 'libopus', '-f', 'ogg'], 'audio/ogg'],
    ['FLAC', ['-c:a', 'flac', '-f', 'flac'], 'audio/flac'],
    ['WebM (Opus)', ['-c:a', 'libopus', '-f', 'webm'], 'audio/webm'],
  ];

  it.each(encodings)('accepts %s by its content, stores it with its waveform and queues it', async (format, args, mediaType) => {
    const file = path.join(dir, `voice-${format.replace(/\W+/g, '-')}.bin`);
    await ffmpeg('-i', speech.file, ...args, file);
    const { size } = await stat(file);
    const queueBefore = await queuedJobIds();
    const lastUsage = await db().usageEvent.findFirst({ where: { userId: caller.id }, orderBy: { id: 'desc' } });

    const recording = await ingestAudio(caller, await body(file), 'voice.mp3');

    expect(recording).toMatchObject({ kind: 'audio', mediaType, filename: 'voice.mp3', bytes: size, width: 640, height: 160, url: expect.stringContaining(recording.id) });
    // Encoders pad the start and end by a frame or two (an MP3 frame at 16 kHz is 72 ms).
    expect(Math.abs(recording.durationMs - speech.durationMs)).toBeLessThan(150);

    const media = await db().media.findUniqueOrThrow({ where: { id: recording.id }, include: { videoJob: true } });
    expect(media).toMatchObject({ kind: 'audio', mediaType, userId: caller.id, durationMs: recording.durationMs, transcriptId: null, playbackKey: null });
    expect((await readFile(data.blobPath(media.originalKey))).equals(await readFile(file))).toBe(true);
    expect((await sharp(data.blobPath(media.previewKey)).metadata()).format).toBe('webp');
    expect(media.videoJob).toMatchObject({ status: 'queued', modelId: 'compatible:stub-whisper', attempts: 0 });

    // Queued on the recordings' queue, under the job row's id.
    const queued = await (await jobQueue()).getJobById<{ mediaId: string }>(queues.audioProcess.name, media.videoJob!.queueJobId!);
    expect(queued?.data).toEqual({ mediaId: recording.id });
    expect(queueBefore.has(queued!.id)).toBe(false);

    // The ledger counts the bytes and the started seconds.
    const usage = await db().usageEvent.findMany({ where: { userId: caller.id, id: { gt: lastUsage?.id ?? 0n } }, orderBy: { kind: 'asc' } });
    expect(usage.map((u) => [u.kind, u.amount])).toEqual([
      ['audio_seconds', Math.ceil(recording.durationMs / 1000)],
      ['upload_bytes', size],
    ]);
    expect(await data.tempFiles()).toEqual([]);
  });

  it('accepts an MP3 with cover art: a picture in a recording does not make it a video', async () => {
    const cover = path.join(dir, 'cover.png');
    const file = path.join(dir, 'with-cover.mp3');
    await ffmpeg('-f', 'lavfi', '-i', 'testsrc2=s=300x300', '-frames:v', '1', cover);
    await ffmpeg('-i', speech.file, '-i', cover, '-map', '0:a', '-map', '1:v', '-c:a', 'libmp3lame', '-c:v', 'png', '-disposition:v', 'attached_pic', file);
    expect(await ingestAudio(caller, await body(file), 'album.mp3')).toMatchObject({ kind: 'audio', mediaType: 'audio/mpeg' });
  });

  it('measures an MP3 whose header understates its length by its sound, for the limits and the quota', async () => {
    const own = await spokenLayoutOfItsOwn(dir, 'understated', [{ silenceMs: 300 }, { sentence: 0 }, { silenceMs: 20_000 }, { sentence: 1 }, { silenceMs: 300 }]);
    const file = await mp3WithoutLengthHeader(dir, own.file, 'understated');
    const { stdout } = await runTool('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]);
    expect(Number(stdout) * 1000).toBeLessThan(own.durationMs / 2);

    const recording = await ingestAudio(caller, await body(file), 'radio.mp3');
    expect(Math.abs(recording.durationMs - own.durationMs)).toBeLessThan(150);
    // And a limit it passes is enforced.
    vi.stubEnv('MAX_AUDIO_SECONDS', String(Math.floor(own.durationMs / 1000) - 2));
    await expectRefused(caller, file, 'radio.mp3', 'too_large', /the limit is/);
  });

  it('accepts a WebM voice note as a browser records it', async () => {
    const file = await webmAudio(dir, speech.file);
    expect(await ingestAudio(caller, await body(file), 'voice-note.webm')).toMatchObject({ mediaType: 'audio/webm' });
  });
});

describe('refusing a recording, keeping nothing of it', () => {
  let bad: Awaited<ReturnType<typeof badAudio>>;
  let wrong: Awaited<ReturnType<typeof notAudio>>;

  beforeAll(async () => {
    [bad, wrong] = await Promise.all([badAudio(dir, speech.file), notAudio(dir)]);
  }, 60_000);

  it('refuses an HTML page named .mp3', async () => {
    await expectRefused(caller, bad.html, 'song.mp3', 'unsupported_type', 'This file is not audio (it looks like text or HTML).');
  });

  it('refuses a PNG named .wav, saying it is a picture', async () => {
    await expectRefused(caller, wrong.png, 'memo.wav', 'unsupported_type', 'This file is a PNG image, not audio. Upload it as an image.');
  });

  it('refuses an empty file', async () => {
    await expectRefused(caller, bad.empty, 'empty.mp3', 'empty_file', /empty/i);
  });

  it('refuses an MP3 cut short, whose header promises more', async () => {
    await expectRefused(caller, bad.truncatedMp3, 'cut.mp3', 'corrupt_file', 'This audio file is truncated or corrupt and cannot be read.');
  });

  it('refuses an M4A cut before its index', async () => {
    await expectRefused(caller, bad.truncatedM4a, 'cut.m4a', 'corrupt_file', 'This audio file is truncated or corrupt and cannot be read.');
  });

  it('refuses random bytes', async () => {
    await expectRefused(caller, wrong.garbage, 'garbage.mp3', 'unsupported_type', /^This file is not an audio format we can read\. MP3, M4A, WAV, FLAC, OGG and Opus work\.$/);
  });

  it('refuses a file over MAX_AUDIO_BYTES, stating the limit', async () => {
    vi.stubEnv('MAX_AUDIO_BYTES', '100000');
    expect((await stat(speech.file)).size).toBeGreaterThan(100_000);
    await expectRefused(caller, speech.file, 'big.wav', 'too_large', /97\.7 KB/);
  });

  it('refuses a recording over MAX_AUDIO_SECONDS, stating both lengths', async () => {
    vi.stubEnv('MAX_AUDIO_SECONDS', '2');
    await expectRefused(caller, speech.file, 'long.wav', 'too_large', /^This recording is \d+(\.\d+)? s long; the limit is 2 s\.$/);
  });

  it('refuses a recording under MIN_AUDIO_MS', async () => {
    await expectRefused(caller, bad.short, 'blip.mp3', 'too_short', /^This recording is 0\.2\d* s long; the minimum is 0\.5 s\.$/);
    vi.stubEnv('MIN_AUDIO_MS', String(Math.ceil(speech.durationMs) + 1000));
    await expectRefused(caller, speech.file, 'speech.wav', 'too_short', /the minimum is/);
  });

  it('refuses a video, pointing to the video upload, and a video without sound', async () => {
    const video = await videoWithSound(dir, speech.file, 'talk');
    await expectRefused(caller, video, 'talk.mp3', 'unsupported_type', 'This file is a video: add it as a video, and its sound is transcribed with it.');
    await expectRefused(caller, bad.silentVideo, 'silent.m4a', 'unsupported_type', 'This video has no sound track.');
  });

  it('refuses every recording when no transcription model is configured', async () => {
    vi.stubEnv('TRANSCRIPTION_MODEL', undefined);
    await expectRefused(caller, speech.file, 'speech.wav', 'model_unavailable', noTranscriptionMessage);
    vi.stubEnv('TRANSCRIPTION_MODEL', '');
    await expectRefused(caller, speech.file, 'speech.wav', 'model_unavailable', noTranscriptionMessage);
  });

  it('refuses a recording past the day’s audio minutes, and counts only what it took in', async () => {
    const guest: Caller = { id: `audio-quota-${randomUUID()}`, type: 'guest' };
    await ensureTestUser(guest.id);
    vi.stubEnv('QUOTA_GUEST_AUDIO_MINUTES_PER_DAY', '1');
    try {
      const forty = await spokenLayoutOfItsOwn(dir, 'forty', [{ silenceMs: 300 }, { sentence: 0 }, { silenceMs: 37_000 }]);
      const fifteen = await spokenLayoutOfItsOwn(dir, 'fifteen', [{ silenceMs: 300 }, { sentence: 2 }, { silenceMs: 12_000 }]);
      expect(Math.ceil(forty.durationMs / 1000)).toBeGreaterThan(30);
      expect(Math.ceil(forty.durationMs / 1000) + Math.ceil(fifteen.durationMs / 1000)).toBeLessThanOrEqual(60);

      await ingestAudio(guest, await body(forty.file), 'first.wav');
      const error = await expectRefused(guest, forty.file, 'second.wav', 'rate_limited', /recordings today.*the limit for guests is 1 min per day\. Sign up for more/);
      expect(error.retryAfterSeconds).toBeGreaterThan(0);
      // The refused one took nothing: a recording that fits the rest of the minute is accepted.
      await expect(ingestAudio(guest, await body(fifteen.file), 'third.wav')).resolves.toMatchObject({ kind: 'audio' });
      expect(await db().media.count({ where: { userId: guest.id } })).toBe(2);
    } finally {
      vi.stubEnv('QUOTA_GUEST_AUDIO_MINUTES_PER_DAY', undefined);
    }
  }, 60_000);

  it('keeps no blob when the upload cannot be recorded (its user is gone)', async () => {
    const ghost: Caller = { id: `audio-ghost-${randomUUID()}`, type: 'user' };
    const own = await spokenLayoutOfItsOwn(dir, 'ghost', [{ silenceMs: 300 }, { sentence: 1 }, { silenceMs: 300 }]);
    const before = await blobKeys();
    // Refused by the database when the row is written, after the original and the preview were stored.
    await expect(ingestAudio(ghost, await body(own.file), 'ghost.wav')).rejects.toMatchObject({ code: 'P2003' });
    expect(await blobKeys()).toEqual(before);
    expect(await db().media.count({ where: { userId: ghost.id } })).toBe(0);
    expect(await db().usageEvent.count({ where: { userId: ghost.id } })).toBe(0);
    expect(await data.tempFiles()).toEqual([]);
  });
});
