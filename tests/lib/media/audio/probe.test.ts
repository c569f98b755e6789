import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AudioLimits } from '@/lib/config';
import { probeAudio } from '@/lib/media/audio/probe';
import { runTool } from '@/lib/media/video/run';
import { badAudio, noiseAndSilence, sentencesWithPauses, speechFormats } from '@/tests/support/audio';
import { rejectionWith } from '@/tests/support/errors';
import { playlistsReadingLocalFiles } from '@/tests/support/videos';

/** ffmpeg with its output on stdout, as bytes. */
const runToolBuffer = (args: string[]) => promisify(execFile)('ffmpeg', args, { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });

const limits: AudioLimits = { maxBytes: 500_000_000, maxDurationMs: 4 * 3600_000, minDurationMs: 500 };

let dir = '';
let speech: Awaited<ReturnType<typeof sentencesWithPauses>>;
let formats: Awaited<ReturnType<typeof speechFormats>>;
let quiet: Awaited<ReturnType<typeof noiseAndSilence>>;
let bad: Awaited<ReturnType<typeof badAudio>>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-audio-probe-'));
  speech = await sentencesWithPauses(dir);
  [formats, quiet, bad] = await Promise.all([speechFormats(dir, speech.file), noiseAndSilence(dir), badAudio(dir, speech.file)]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('probeAudio', () => {
  it('reads a WAV exactly', async () => {
    expect(await probeAudio(speech.file, limits)).toEqual({
      durationMs: Math.round(speech.durationMs),
      codec: 'pcm_s16le',
      container: 'wav',
      sampleRate: 16_000,
      channels: 1,
      hasVideo: false,
    });
  });

  it.each([
    ['mp3', 'mp3', 'mp3'],
    ['opus', 'opus', 'ogg'],
    ['flac', 'flac', 'flac'],
    ['m4a', 'aac', 'mov,mp4,m4a,3gp,3g2,mj2'],
  ] as const)('reads the same speech as %s', async (format, codec, container) => {
    const info = await probeAudio(formats[format], limits);
    expect(info).toMatchObject({ codec, container, channels: 1, hasVideo: false });
    // Encoders pad the start and end by a few frames.
    expect(Math.abs(info.durationMs - speech.durationMs)).toBeLessThan(100);
  });

  it('measures a voice note written as it was recorded (a WebM without a length), by its frames', async () => {
    // MediaRecorder streams its WebM out: no duration in the header, no index. ffmpeg writing to a pipe does the same.
    const file = path.join(dir, 'voice-note.webm');
    const { stdout } = await runToolBuffer(['-nostdin', '-v', 'error', '-i', speech.file, '-c:a', 'libopus', '-f', 'webm', 'pipe:1']);
    await writeFile(file, stdout);
    const probed = await runTool('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]);
    expect(probed.stdout.trim()).toBe('N/A');
    const info = await probeAudio(file, limits);
    expect(info.codec).toBe('opus');
    expect(Math.abs(info.durationMs - speech.durationMs)).toBeLessThan(100);
  });

  it('accepts a video with a sound track, and says it is one', async () => {
    expect(await probeAudio(formats.video, limits)).toMatchObject({ codec: 'aac', hasVideo: true, channels: 1 });
  });

  it('accepts noise and silence: whether anyone speaks is for transcription to find', async () => {
    expect(await probeAudio(quiet.noise, limits)).toMatchObject({ durationMs: 3000, codec: 'pcm_s16le' });
    expect(await probeAudio(quiet.silence, limits)).toMatchObject({ durationMs: 3000, sampleRate: 44_100, channels: 2 });
  });

  it('rejects an empty file', async () => {
    expect((await rejectionWith(probeAudio(bad.empty, limits), 'empty_file')).message).toBe('This file is empty.');
  });

  it('rejects what is not audio, saying what it is', async () => {
    expect((await rejectionWith(probeAudio(bad.html, limits), 'unsupported_type')).message).toBe(
      'This file is not audio (it looks like text or HTML).',
    );
    expect((await rejectionWith(probeAudio(bad.silentVideo, limits), 'unsupported_type')).message).toBe('This video has no sound track.');
  });

  it('rejects a playlist under an audio file’s name before ffprobe could follow it to a server file', async () => {
    const { playlists } = await playlistsReadingLocalFiles(dir);
    for (const file of Object.values(playlists)) {
      expect((await rejectionWith(probeAudio(file, limits), 'unsupported_type')).message).toBe(
        'This file is not an audio format we can read. MP3, M4A, WAV, FLAC, OGG and Opus work.',
      );
    }
  });

  it('rejects a truncated MP3 whose header promises more, and an M4A cut before its index', async () => {
    const message = 'This audio file is truncated or corrupt and cannot be read.';
    expect((await rejectionWith(probeAudio(bad.truncatedMp3, limits), 'corrupt_file')).message).toBe(message);
    expect((await rejectionWith(probeAudio(bad.truncatedM4a, limits), 'corrupt_file')).message).toBe(message);
  });

  it('rejects a recording shorter than the minimum, stating both', async () => {
    const error = await rejectionWith(probeAudio(bad.short, limits), 'too_short');
    expect(error.message).toMatch(/^This recording is 0\.2\d* s long; the minimum is 0\.5 s\.$/);
  });

  it('rejects a recording longer than the maximum, stating both', async () => {
    const error = await rejectionWith(probeAudio(speech.file, { ...limits, maxDurationMs: 2000 }), 'too_large');
    expect(error.message).toMatch(/^This recording is \d+(\.\d+)? s long; the limit is 2 s\.$/);
  });

  it('rejects a file over the byte limit before reading it, stating both sizes', async () => {
    const error = await rejectionWith(probeAudio(speech.file, { ...limits, maxBytes: 1024 }), 'too_large');
    expect(error.message).toMatch(/^This audio file is \d+\.\d KB; the limit is 1\.0 KB\.$/);
  });
});
