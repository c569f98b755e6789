import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AudioLimits } from '@/lib/config';
import { audioNeedsTranscode, audioPlaybackMediaType, makeAudioPlaybackCopy } from '@/lib/media/audio/playback';
import { probeAudio } from '@/lib/media/audio/probe';
import { runTool } from '@/lib/media/video/run';
import { longTone, noiseAndSilence, recordingTags, sentencesWithPauses, speechFormats, taggedRecordings } from '@/tests/support/audio';

const limits: AudioLimits = { maxBytes: 500_000_000, maxDurationMs: 4 * 3600_000, minDurationMs: 500 };

let dir = '';
let speech: Awaited<ReturnType<typeof sentencesWithPauses>>;
let formats: Awaited<ReturnType<typeof speechFormats>>;
let tagged: Awaited<ReturnType<typeof taggedRecordings>>;
let quiet: Awaited<ReturnType<typeof noiseAndSilence>>;
let tone = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-audio-playback-'));
  speech = await sentencesWithPauses(dir);
  [formats, tagged, quiet, tone] = await Promise.all([speechFormats(dir, speech.file), taggedRecordings(dir, speech.file), noiseAndSilence(dir), longTone(dir, 600)]);
});

afterAll(() => rm(dir, { recursive: true, force: true }));

interface Probed {
  format: { format_name: string; tags?: Record<string, string> };
  streams: { codec_type: string; codec_name: string; channels?: number; tags?: Record<string, string> }[];
  chapters: { tags?: Record<string, string> }[];
}

async function ffprobe(file: string): Promise<Probed> {
  const { stdout } = await runTool('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-show_chapters', file]);
  return JSON.parse(stdout) as Probed;
}

/** Every tag ffprobe sees, on the file, on each stream and on each chapter. */
function tagsOf(probe: Probed): Record<string, string> {
  return Object.assign({}, probe.format.tags, ...probe.streams.map((s) => s.tags), ...probe.chapters.map((c) => c.tags));
}

/** An MD5 of the first audio stream's packets as they are stored: equal only for a copy bit for bit. */
async function audioPacketsHash(file: string): Promise<string> {
  const { stdout } = await runTool('ffmpeg', ['-nostdin', '-v', 'error', '-i', file, '-map', '0:a:0', '-c', 'copy', '-f', 'hash', '-hash', 'md5', '-']);
  return stdout.trim();
}

async function copyOf(input: string, name: string) {
  const info = await probeAudio(input, limits);
  const output = path.join(dir, `${name}.m4a`);
  await makeAudioPlaybackCopy(input, output, info);
  return { info, output };
}

describe('audioNeedsTranscode', () => {
  it('copies AAC and MP3, which every browser plays from an MP4, and re-encodes the rest', () => {
    expect(audioNeedsTranscode({ codec: 'aac' })).toBe(false);
    expect(audioNeedsTranscode({ codec: 'mp3' })).toBe(false);
    for (const codec of ['opus', 'vorbis', 'flac', 'pcm_s16le', 'pcm_f32le', 'alac', 'mp2', 'amr_nb']) expect(audioNeedsTranscode({ codec })).toBe(true);
  });
});

describe('the audio playback copy', () => {
  it('is served as an M4A', () => {
    expect(audioPlaybackMediaType).toBe('audio/mp4');
  });

  const fixture = (name: string) =>
    ({
      'an MP3 with ID3 tags and cover art': tagged.mp3,
      'an M4A with tags, cover art and chapters': tagged.m4a,
      'an Ogg Opus file': formats.opus,
      'a FLAC file': formats.flac,
      'a WAV file': speech.file,
      'a video’s sound track': formats.video,
    })[name]!;

  it.each([
    ['an MP3 with ID3 tags and cover art', 'mp3'],
    ['an M4A with tags, cover art and chapters', 'aac'],
    ['an Ogg Opus file', 'aac'],
    ['a FLAC file', 'aac'],
    ['a WAV file', 'aac'],
    ['a video’s sound track', 'aac'],
  ] as const)('turns %s into an M4A with %s sound, of the same length, without any metadata', async (name, codec) => {
    const input = fixture(name);
    const { info, output } = await copyOf(input, `copy-${path.basename(input)}`);
    const probe = await ffprobe(output);
    expect(probe.format.format_name).toContain('mp4');
    // Only the sound: no cover art, no video picture, no chapter text track.
    expect(probe.streams.map((s) => [s.codec_type, s.codec_name])).toEqual([['audio', codec]]);
    expect(probe.chapters).toEqual([]);
    const tags = tagsOf(probe);
    for (const key of ['title', 'artist', 'comment', 'encoder']) expect(tags).not.toHaveProperty(key);
    // What is left is the muxer's own boilerplate (brands, a generic handler name), nothing of the sender's.
    expect(Object.values(tags).filter((value) => /Jane|Secret|Rivoli/.test(value))).toEqual([]);

    const played = await probeAudio(output, limits);
    expect(played).toMatchObject({ codec, hasVideo: false });
    expect(Math.abs(played.durationMs - info.durationMs)).toBeLessThan(100);
  });

  it('starts from fixtures that do carry every kind of metadata', async () => {
    const { title, artist, comment, chapter, cover } = recordingTags;
    const [mp3, m4a] = await Promise.all([ffprobe(tagged.mp3), ffprobe(tagged.m4a)]);
    for (const probe of [mp3, m4a]) {
      expect(probe.format.tags).toMatchObject({ title, artist, comment });
      expect(probe.streams.map((s) => s.codec_type)).toContain('video');
    }
    // ID3 keeps a description with the picture; MP4's cover atom holds only the image.
    expect(mp3.streams[1].tags).toMatchObject({ title: cover });
    expect(m4a.streams[0].tags).toMatchObject({ handler_name: `${artist}’s phone` });
    expect(m4a.chapters.map((c) => c.tags?.title)).toEqual([chapter]);
  });

  it('copies MP3 and AAC sound bit for bit', async () => {
    for (const input of [tagged.mp3, tagged.m4a]) {
      const { output } = await copyOf(input, `bits-${path.basename(input)}`);
      expect(await audioPacketsHash(output)).toBe(await audioPacketsHash(input));
    }
  });

  it('keeps mono mono and stereo stereo, and mixes surround down to stereo', async () => {
    const surround = path.join(dir, 'surround.flac');
    await runTool('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-i', speech.file, '-af', 'aformat=channel_layouts=5.1', '-c:a', 'flac', surround]);
    const channels = async (input: string) => (await probeAudio((await copyOf(input, `channels-${path.basename(input)}`)).output, limits)).channels;
    expect(await channels(speech.file)).toBe(1);
    expect(await channels(quiet.silence)).toBe(2);
    expect((await probeAudio(surround, limits)).channels).toBe(6);
    expect(await channels(surround)).toBe(2);
  });

  it('reports how far it got, up to the end', async () => {
    const info = await probeAudio(formats.flac, limits);
    const progress: number[] = [];
    await makeAudioPlaybackCopy(formats.flac, path.join(dir, 'progress.m4a'), info, { onProgress: (ms) => progress.push(ms) });
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBeGreaterThan(info.durationMs * 0.9);
  });

  it('stops ffmpeg midway when aborted', async () => {
    const info = await probeAudio(tone, limits);
    const controller = new AbortController();
    let abortedAt = 0;
    let processedMs = 0;
    const copy = makeAudioPlaybackCopy(tone, path.join(dir, 'aborted.m4a'), info, {
      signal: controller.signal,
      onProgress: (ms) => {
        processedMs = ms;
        if (abortedAt) return;
        abortedAt = performance.now();
        controller.abort(new Error('canceled'));
      },
    });
    await expect(copy).rejects.toThrow('canceled');
    // It rejects once ffmpeg has exited: killed at once, long before the ten minutes of sound were encoded.
    expect(performance.now() - abortedAt).toBeLessThan(1000);
    expect(processedMs).toBeLessThan(info.durationMs / 2);
  });
});
