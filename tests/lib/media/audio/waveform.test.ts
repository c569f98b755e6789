import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWaveform, waveformSize } from '@/lib/media/audio/waveform';
import { longTone, noiseAndSilence, sentencesWithPauses, speechFormats, taggedRecordings } from '@/tests/support/audio';

let dir = '';
let speech: Awaited<ReturnType<typeof sentencesWithPauses>>;
let formats: Awaited<ReturnType<typeof speechFormats>>;
let tagged: Awaited<ReturnType<typeof taggedRecordings>>;
let quiet: Awaited<ReturnType<typeof noiseAndSilence>>;
let hourLong = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-waveform-'));
  speech = await sentencesWithPauses(dir);
  [formats, tagged, quiet, hourLong] = await Promise.all([speechFormats(dir, speech.file), taggedRecordings(dir, speech.file), noiseAndSilence(dir), longTone(dir, 3600)]);
});

afterAll(() => rm(dir, { recursive: true, force: true }));

/** The picture as sharp decodes it, and how many pixels of each column are drawn (not transparent). */
async function decoded(data: Buffer) {
  const { data: pixels, info } = await sharp(data).raw().toBuffer({ resolveWithObject: true });
  const drawnPerColumn = new Array<number>(info.width).fill(0);
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) if (pixels[(y * info.width + x) * info.channels + 3] > 0) drawnPerColumn[x]++;
  }
  const metadata = await sharp(data).metadata();
  return { metadata, drawnPerColumn, drawn: drawnPerColumn.reduce((sum, n) => sum + n, 0) };
}

const column = (ms: number) => Math.floor((ms / speech.durationMs) * waveformSize.width);

describe('makeWaveform', () => {
  it('draws the recording as a 640×160 WebP with transparency', async () => {
    const waveform = await makeWaveform(speech.file);
    expect(waveform).toMatchObject({ width: 640, height: 160 });
    const { metadata } = await decoded(waveform.data);
    expect(metadata).toMatchObject({ format: 'webp', width: 640, height: 160, hasAlpha: true });
  });

  it('is tall where the sentences are and flat in the pauses between them', async () => {
    const { drawnPerColumn } = await decoded((await makeWaveform(speech.file)).data);
    const [first, second, third] = speech.speechMs;
    for (const sentence of [first, second, third]) {
      expect(Math.max(...drawnPerColumn.slice(column(sentence.startMs), column(sentence.endMs)))).toBeGreaterThan(60);
    }
    // The 1.2 s and 0.8 s pauses, a few columns (~50 ms) clear of the speech on each side: only the middle line.
    for (const [before, after] of [[first, second], [second, third]]) {
      const pause = drawnPerColumn.slice(column(before.endMs) + 3, column(after.startMs) - 3);
      expect(pause.length).toBeGreaterThan(30);
      expect(Math.max(...pause)).toBe(2);
    }
  });

  it('draws silence as a valid picture of a flat line, far emptier than speech', async () => {
    const silence = await decoded((await makeWaveform(quiet.silence)).data);
    expect(silence.metadata).toMatchObject({ format: 'webp', width: 640, height: 160 });
    expect(silence.drawnPerColumn.every((n) => n === 2)).toBe(true);
    const spoken = await decoded((await makeWaveform(speech.file)).data);
    expect(spoken.drawn).toBeGreaterThan(silence.drawn * 5);
  });

  it('reads the formats people upload, cover art and a video’s picture aside', async () => {
    for (const input of [formats.opus, formats.flac, tagged.mp3, tagged.m4a, formats.video]) {
      const { metadata, drawn } = await decoded((await makeWaveform(input)).data);
      expect(metadata).toMatchObject({ format: 'webp', width: 640, height: 160 });
      expect(drawn).toBeGreaterThan(640 * 10);
    }
  });

  it('draws an hour-long recording across the whole width', async () => {
    const { drawnPerColumn } = await decoded((await makeWaveform(hourLong)).data);
    // A steady tone: the same height from the first column to the last.
    expect(new Set(drawnPerColumn).size).toBeLessThanOrEqual(3);
    expect(drawnPerColumn[0]).toBeGreaterThan(20);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('canceled'));
    await expect(makeWaveform(hourLong, { signal: controller.signal })).rejects.toThrow('canceled');
  });
});
