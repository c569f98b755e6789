import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkLimitMs, cutChunk, findSilences, openAiMaxUploadBytes, planChunks, type Silence, speechFormat, toSpeechAudio } from '@/lib/media/audio/speech';
import { stitchTranscripts } from '@/lib/media/audio/stitch';
import { runTool } from '@/lib/media/video/run';
import { longSpeech, noiseAndSilence, sentencesWithPauses, speechFormats } from '@/tests/support/audio';

const hearing = { noiseDb: -35, minSeconds: 0.4 };
const toleranceMs = 150;

let dir = '';
let speech: Awaited<ReturnType<typeof sentencesWithPauses>>;
let long: Awaited<ReturnType<typeof longSpeech>>;
let formats: Awaited<ReturnType<typeof speechFormats>>;
let quiet: Awaited<ReturnType<typeof noiseAndSilence>>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-speech-'));
  speech = await sentencesWithPauses(dir);
  [long, formats, quiet] = await Promise.all([longSpeech(dir), speechFormats(dir, speech.file), noiseAndSilence(dir)]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function streamOf(file: string) {
  const { stdout } = await runTool('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', file]);
  return JSON.parse(stdout).streams[0] as { codec_name: string; sample_rate: string; channels: number; duration: string };
}

/** The stretches between silences (a rounding sliver aside): where the speech is, as a transcription server would time its segments. */
function spoken(silences: Silence[], durationMs: number) {
  const edges = [0, ...silences.flatMap((s) => [s.startMs, s.endMs]), durationMs];
  const stretches = [];
  for (let i = 0; i < edges.length; i += 2) if (edges[i + 1] - edges[i] > 100) stretches.push({ startMs: edges[i], endMs: edges[i + 1], text: 'speech' });
  return stretches;
}

describe('toSpeechAudio', () => {
  it.each(['mp3', 'opus', 'm4a', 'video'] as const)('turns %s into 16 kHz mono 16-bit WAV of the same length', async (format) => {
    const output = path.join(dir, `${format}.speech.wav`);
    await toSpeechAudio(formats[format], output);
    const stream = await streamOf(output);
    expect(stream).toMatchObject({ codec_name: 'pcm_s16le', sample_rate: '16000', channels: 1 });
    expect(Math.abs(Number(stream.duration) * 1000 - speech.durationMs)).toBeLessThan(100);
    // The chunk limit relies on this: bytes follow from the length, up to the header allowance.
    const { size } = await stat(output);
    expect(size - (Number(stream.duration) * speechFormat.bytesPerSecond)).toBeLessThanOrEqual(speechFormat.headerBytes);
  });

  it('turns stereo 44.1 kHz into mono 16 kHz', async () => {
    const output = path.join(dir, 'silence.speech.wav');
    await toSpeechAudio(quiet.silence, output);
    expect(await streamOf(output)).toMatchObject({ sample_rate: '16000', channels: 1, duration: '3.000000' });
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    await expect(toSpeechAudio(long.file, path.join(dir, 'aborted.wav'), { signal: controller.signal })).rejects.toThrow('cancelled');
  });
});

describe('chunkLimitMs', () => {
  it('fits a chunk of speech audio in OpenAI’s 25 MB', () => {
    const limit = chunkLimitMs(openAiMaxUploadBytes);
    expect(speechFormat.headerBytes + (limit / 1000) * speechFormat.bytesPerSecond).toBeLessThanOrEqual(openAiMaxUploadBytes);
    expect(limit).toBeGreaterThan(13 * 60_000);
  });
});

describe('findSilences', () => {
  it('finds the pauses where they were made, including at the start and end', async () => {
    const silences = await findSilences(speech.file, hearing);
    const expected = [
      { startMs: 0, endMs: speech.speechMs[0].startMs },
      { startMs: speech.speechMs[0].endMs, endMs: speech.speechMs[1].startMs },
      { startMs: speech.speechMs[1].endMs, endMs: speech.speechMs[2].startMs },
      { startMs: speech.speechMs[2].endMs, endMs: speech.durationMs },
    ];
    expect(silences).toHaveLength(expected.length);
    silences.forEach((silence, i) => {
      expect(Math.abs(silence.startMs - expected[i].startMs)).toBeLessThanOrEqual(toleranceMs);
      expect(Math.abs(silence.endMs - expected[i].endMs)).toBeLessThanOrEqual(toleranceMs);
    });
  });

  it('finds none in noise, and one from end to end in silence', async () => {
    expect(await findSilences(quiet.noise, hearing)).toEqual([]);
    expect(await findSilences(quiet.silence, hearing)).toEqual([{ startMs: 0, endMs: 3000 }]);
  });
});

describe('planChunks', () => {
  const check = (durationMs: number, chunks: { startMs: number; endMs: number }[], maxChunkMs: number) => {
    expect(chunks[0].startMs).toBe(0);
    expect(chunks.at(-1)!.endMs).toBe(durationMs);
    chunks.forEach((chunk, i) => {
      expect(chunk.endMs - chunk.startMs).toBeLessThanOrEqual(maxChunkMs);
      expect(chunk.endMs).toBeGreaterThan(chunk.startMs);
      if (i > 0) expect(chunk.startMs).toBe(chunks[i - 1].endMs);
    });
  };

  it('keeps a recording within the limit whole', () => {
    expect(planChunks(60_000, [], { maxChunkMs: 60_000 })).toEqual([{ startMs: 0, endMs: 60_000 }]);
  });

  it('cuts in the middle of the last pause before the limit', () => {
    const silences = [
      { startMs: 10_000, endMs: 11_000 },
      { startMs: 40_000, endMs: 41_000 },
      { startMs: 52_000, endMs: 53_000 },
      { startMs: 90_000, endMs: 91_000 },
    ];
    expect(planChunks(120_000, silences, { maxChunkMs: 60_000 })).toEqual([
      { startMs: 0, endMs: 52_500 },
      { startMs: 52_500, endMs: 90_500 },
      { startMs: 90_500, endMs: 120_000 },
    ]);
  });

  it('cuts inside a pause that straddles the limit, never past it', () => {
    expect(planChunks(100_000, [{ startMs: 59_000, endMs: 70_000 }], { maxChunkMs: 60_000 })[0]).toEqual({ startMs: 0, endMs: 59_500 });
  });

  it('cuts at the limit where speech runs on, ignoring pauses too early to help', () => {
    const chunks = planChunks(150_000, [{ startMs: 5_000, endMs: 6_000 }], { maxChunkMs: 60_000 });
    expect(chunks).toEqual([
      { startMs: 0, endMs: 60_000 },
      { startMs: 60_000, endMs: 120_000 },
      { startMs: 120_000, endMs: 150_000 },
    ]);
    check(150_000, chunks, 60_000);
  });
});

describe('cutChunk and stitchTranscripts', () => {
  it('split a long recording at pauses and put every sentence back at its time', async () => {
    expect(long.durationMs).toBeGreaterThan(180_000);
    const maxChunkMs = 60_000;
    const silences = await findSilences(long.file, hearing);
    const chunks = planChunks(long.durationMs, silences, { maxChunkMs });
    expect(chunks.length).toBeGreaterThanOrEqual(4);
    for (const chunk of chunks.slice(1)) {
      expect(silences.some((s) => s.startMs < chunk.startMs && chunk.startMs < s.endMs)).toBe(true);
    }

    const transcripts = await Promise.all(
      chunks.map(async ({ startMs, endMs }, i) => {
        const file = path.join(dir, `chunk-${i}.wav`);
        await cutChunk(long.file, startMs, endMs, file);
        const lengthMs = Number((await streamOf(file)).duration) * 1000;
        expect(Math.abs(lengthMs - (endMs - startMs))).toBeLessThan(5);
        // A cut inside a pause can leave only a fifth of a second of it at a chunk's edge.
        return { startMs, segments: spoken(await findSilences(file, { ...hearing, minSeconds: 0.15 }), lengthMs) };
      }),
    );
    const stitched = stitchTranscripts(transcripts);
    expect(stitched).toHaveLength(long.speechMs.length);
    stitched.forEach((segment, i) => {
      expect(Math.abs(segment.startMs - long.speechMs[i].startMs)).toBeLessThanOrEqual(toleranceMs);
      expect(Math.abs(segment.endMs - long.speechMs[i].endMs)).toBeLessThanOrEqual(toleranceMs);
    });
  }, 120_000);
});
