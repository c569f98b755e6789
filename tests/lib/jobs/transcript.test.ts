/**
 * transcribeSound against the stub transcription server over HTTP, with real ffmpeg, the real
 * database (Transcript rows, the answer cache) and a real DATA_DIR: what is sent, how a long
 * recording is cut into chunks under the upload limit and stitched back at the right times, and
 * what is found again instead of sent (the same sound, a chunk already answered).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { APICallError } from '@ai-sdk/provider';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeWav, startStubModel, stubTranscript, type StubModel } from '@/e2e/stub-model/server';
import { db } from '@/lib/db/client';
import { findTranscript } from '@/lib/db/transcripts';
import { CallCounter } from '@/lib/jobs/attempt';
import { transcribeSound } from '@/lib/jobs/transcript';
import { toSpeechAudio } from '@/lib/media/audio/speech';
import type { TimedText } from '@/lib/media/subtitles';
import { runTool } from '@/lib/media/video/run';
import { generate } from '@/tests/support/ffmpeg';
import { longSpeechOfItsOwn, sentencesWithPausesOfItsOwn, silenceOfItsOwn, spokenLayoutOfItsOwn, videoWithSound } from '@/tests/support/audio';
import { useLocalDataDir } from '@/tests/support/data-dir';
import { pointAtStub } from '@/tests/support/stub-env';

const data = useLocalDataDir('transcript');
let stub: StubModel;
let dir = '';

type Layout = Awaited<ReturnType<typeof spokenLayoutOfItsOwn>>;
let speech: Layout;
let long: Layout;

const MODEL_ID = 'compatible:stub-whisper';
/** ≈ 37.5 s of 16 kHz mono 16-bit WAV per chunk. */
const SMALL_UPLOAD_BYTES = 1_200_000;
const toleranceMs = 300;

const transcriptionCalls = () => stub.requests.filter((r) => r.path === '/v1/audio/transcriptions');
const sentFile = (r: StubModel['requests'][number]) => (r.body as { file: { size: number; type: string } }).file;

/** The sound of `file` transcribed as a job does it; its length is measured from the decoded sound. */
function transcribe(file: string, options: { signal?: AbortSignal; onProgress?: (share: number) => void } = {}) {
  const calls = new CallCounter();
  const shares: number[] = [];
  const result = transcribeSound(file, {
    limits: { maxDurationMs: 4 * 60 * 60 * 1000 },
    signal: options.signal ?? new AbortController().signal,
    calls,
    onProgress: options.onProgress ?? ((share) => shares.push(share)),
  });
  return { result, calls, shares };
}

/** What the stub itself hears in a 16 kHz mono WAV, in milliseconds as the app stores it. */
async function stubHears(wav: string): Promise<TimedText[]> {
  const pcm = decodeWav(new Uint8Array(await readFile(wav)));
  if (!pcm) throw new Error(`${wav} is not a 16-bit PCM WAV`);
  return stubTranscript(pcm).segments.map((s) => ({ startMs: Math.round(s.start * 1000), endMs: Math.round(s.end * 1000), text: s.text }));
}

/**
 * The segments are in order and never overlap, none lies in a pause, and the words heard in each
 * sentence start and end within the tolerance of where that sentence was put.
 */
function expectSentencesHeard(segments: TimedText[], speechMs: Layout['speechMs']) {
  expect(segments.length).toBeGreaterThanOrEqual(speechMs.length);
  segments.forEach((segment, i) => {
    expect(segment.endMs).toBeGreaterThan(segment.startMs);
    if (i > 0) expect(segment.startMs).toBeGreaterThanOrEqual(segments[i - 1].endMs);
    const within = speechMs.some((s) => segment.startMs >= s.startMs - toleranceMs && segment.endMs <= s.endMs + toleranceMs);
    expect(within, `segment ${i} (${segment.startMs}–${segment.endMs} ms) lies in a pause`).toBe(true);
  });
  for (const [n, sentence] of speechMs.entries()) {
    const heard = segments.filter((s) => s.startMs < sentence.endMs && s.endMs > sentence.startMs);
    expect(heard.length, `sentence ${n} at ${sentence.startMs} ms was not heard`).toBeGreaterThan(0);
    expect(Math.abs(heard[0].startMs - sentence.startMs), `start of sentence ${n}`).toBeLessThanOrEqual(toleranceMs);
    expect(Math.abs(heard.at(-1)!.endMs - sentence.endMs), `end of sentence ${n}`).toBeLessThanOrEqual(toleranceMs);
  }
}

const tmpFiles = () => data.tempFiles();

beforeAll(async () => {
  stub = await startStubModel({ deltaDelayMs: 0 });
  pointAtStub(stub.url, { transcription: MODEL_ID });
  vi.stubEnv('TRANSCRIPTION_MAX_UPLOAD_BYTES', undefined);
  dir = path.join(data.dir, 'fixtures');
  await mkdir(dir, { recursive: true });
  [speech, long] = await Promise.all([
    sentencesWithPausesOfItsOwn(dir, 'pauses'),
    // About two and a half minutes: four or five chunks of ≈ 37 s.
    longSpeechOfItsOwn(dir, 'long', 40),
  ]);
}, 120_000);

beforeEach(() => {
  stub.reset();
  vi.stubEnv('TRANSCRIPTION_MODEL', MODEL_ID);
  vi.stubEnv('TRANSCRIPTION_MAX_UPLOAD_BYTES', undefined);
});

afterAll(async () => {
  await stub?.stop();
  await db().$disconnect();
});

describe('transcribeSound', () => {
  it('sends a short recording whole and stores what the model heard, timed, with its language', async () => {
    const { result, calls, shares } = transcribe(speech.file);
    const transcript = await result;

    // One call, with the recording as 16 kHz mono WAV: the stub's answer to exactly these samples.
    expect(transcriptionCalls().map((r) => [r.model, r.status, sentFile(r).type])).toEqual([['stub-whisper', 200, 'audio/wav']]);
    expect(transcript.segments).toEqual(await stubHears(speech.file));
    expect(transcript).toMatchObject({ modelId: MODEL_ID, language: 'en' });
    expect(Math.abs(transcript.durationMs - speech.durationMs)).toBeLessThanOrEqual(1);
    expectSentencesHeard(transcript.segments as unknown as TimedText[], speech.speechMs);
    expect(calls).toMatchObject({ live: 1, cached: 0, costUsd: 0 });
    // Progress only goes forward, and ends complete.
    expect(shares).toEqual([...shares].sort((a, b) => a - b));
    expect(shares.at(-1)).toBe(1);

    const stored = await db().transcript.findUniqueOrThrow({ where: { id: transcript.id } });
    expect(stored.audioSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.segments).toEqual(transcript.segments);
    expect(await tmpFiles()).toEqual([]);
  });

  it('finds the transcript of the same sound in another container instead of asking again', async () => {
    const first = await transcribe(speech.file).result;
    stub.reset();
    // FLAC is lossless: the same samples, in a file with other bytes.
    const flac = path.join(dir, 'pauses-again.flac');
    await runTool('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-i', speech.file, '-c:a', 'flac', flac]);
    expect((await readFile(flac)).equals(await readFile(speech.file))).toBe(false);

    const { result, calls } = transcribe(flac);
    const again = await result;
    expect(again.id).toBe(first.id);
    expect(transcriptionCalls()).toEqual([]);
    expect(calls).toMatchObject({ live: 0, cached: 0 });
  });

  it('transcribes a video’s sound track', async () => {
    const own = await spokenLayoutOfItsOwn(dir, 'video-sound', [{ silenceMs: 300 }, { sentence: 1 }, { silenceMs: 700 }, { sentence: 2 }, { silenceMs: 300 }]);
    const video = await videoWithSound(dir, own.file, 'talking');
    const transcript = await transcribe(video).result;
    expect(transcriptionCalls()).toHaveLength(1);
    expectSentencesHeard(transcript.segments as unknown as TimedText[], own.speechMs);
  });

  it('cuts a long recording into chunks under the upload limit, at pauses, and puts every segment back at its time', async () => {
    vi.stubEnv('TRANSCRIPTION_MAX_UPLOAD_BYTES', String(SMALL_UPLOAD_BYTES));
    expect(long.durationMs).toBeGreaterThan(120_000);
    const { result, calls, shares } = transcribe(long.file);
    const transcript = await result;

    const sent = transcriptionCalls();
    const expectedChunks = Math.ceil(long.durationMs / 37_000);
    expect(sent.length).toBeGreaterThanOrEqual(expectedChunks);
    expect(sent.length).toBeLessThanOrEqual(expectedChunks + 2);
    for (const request of sent) {
      expect(request.status).toBe(200);
      expect(sentFile(request).size).toBeLessThanOrEqual(SMALL_UPLOAD_BYTES);
    }
    expect(calls).toMatchObject({ live: sent.length, cached: 0 });

    const segments = transcript.segments as unknown as TimedText[];
    expectSentencesHeard(segments, long.speechMs);
    // Every chunk's "Stub words 1" is there: each chunk was heard, and its segments kept.
    const chunkStarts = segments.flatMap((s, i) => (s.text === 'Stub words 1' ? [i] : []));
    expect(chunkStarts).toHaveLength(sent.length);
    // Each chunk was cut in a pause: its first words start a sentence, and the chunk before ends with one.
    for (const i of chunkStarts) {
      expect(long.speechMs.some((s) => Math.abs(segments[i].startMs - s.startMs) <= toleranceMs)).toBe(true);
      if (i > 0) expect(long.speechMs.some((s) => Math.abs(segments[i - 1].endMs - s.endMs) <= toleranceMs)).toBe(true);
    }
    expect(segments.at(-1)!.endMs).toBeLessThanOrEqual(long.durationMs);
    // Measured from the decoded samples, to the millisecond.
    expect(Math.abs(transcript.durationMs - long.durationMs)).toBeLessThanOrEqual(1);
    expect(shares).toEqual([...shares].sort((a, b) => a - b));
    expect(shares.at(-1)).toBe(1);
    expect(await tmpFiles()).toEqual([]);
  }, 120_000);

  it('resumes from the chunks already answered: an attempt that died midway is finished sending only the rest', async () => {
    // ≈ 12 s chunks: enough of them that some are still to come when the attempt dies.
    vi.stubEnv('TRANSCRIPTION_MAX_UPLOAD_BYTES', '400000');
    const own = await longSpeechOfItsOwn(dir, 'resume', 30);
    // The attempt dies once two chunks are answered (a lost claim aborts it): those already out finish and are kept.
    const stop = new AbortController();
    let answered = 0;
    const dying = transcribe(own.file, { signal: stop.signal, onProgress: (share) => share > 0.05 && ++answered === 2 && stop.abort(new Error('claim lost')) });
    await expect(dying.result).rejects.toThrow('claim lost');
    const sentBefore = transcriptionCalls().length;
    expect(sentBefore).toBeGreaterThanOrEqual(2);

    stub.reset();
    const { result, calls } = transcribe(own.file);
    const transcript = await result;
    const sentAfter = transcriptionCalls().length;
    expect(calls.cached, 'the chunks answered before are not sent again').toBeGreaterThanOrEqual(2);
    expect(calls.live).toBe(sentAfter);
    expect(calls.live + calls.cached).toBeGreaterThan(sentAfter);
    expectSentencesHeard(transcript.segments as unknown as TimedText[], own.speechMs);
    // Once stored, the transcript answers for the sound: the chunks' cached answers are let go.
    stub.reset();
    const again = transcribe(own.file);
    expect((await again.result).id).toBe(transcript.id);
    expect(again.calls).toMatchObject({ live: 0, cached: 0 });
    expect(transcriptionCalls()).toEqual([]);
  }, 120_000);

  it('hears nothing in silence or in a quiet hiss, and stores that', async () => {
    const silence = await silenceOfItsOwn(dir, 'silence');
    const hiss = path.join(dir, 'hiss.wav');
    const seed = Math.floor(Math.random() * 1_000_000);
    // Pink noise at a level the stub (like a Whisper server's voice detection) takes for no speech.
    await generate('-f', 'lavfi', '-i', `anoisesrc=color=pink:amplitude=0.01:duration=3:seed=${seed}`, hiss);

    for (const file of [silence.file, hiss]) {
      stub.reset();
      const transcript = await transcribe(file).result;
      expect(transcriptionCalls().map((r) => r.status)).toEqual([200]);
      expect(transcript.segments).toEqual([]);
      expect(transcript.language).toBe('en');
    }
  });

  it('throws the server’s error, and stores and caches nothing, when the model fails', async () => {
    vi.stubEnv('TRANSCRIPTION_MODEL', 'compatible:stub-whisper-broken');
    const own = await spokenLayoutOfItsOwn(dir, 'broken', [{ silenceMs: 200 }, { sentence: 0 }, { silenceMs: 200 }]);
    const cacheBefore = await db().cacheEntry.count({ where: { modelId: 'compatible:stub-whisper-broken' } });
    const { result, calls } = transcribe(own.file);
    const error = await result.catch((e: unknown) => e);

    expect(APICallError.isInstance(error)).toBe(true);
    expect((error as APICallError).statusCode).toBe(500);
    // 5xx is not retried here: the job's attempts do that.
    expect(transcriptionCalls().map((r) => [r.model, r.status])).toEqual([['stub-whisper-broken', 500]]);
    expect(calls).toMatchObject({ live: 0, cached: 0 });
    expect(await db().transcript.count({ where: { modelId: 'compatible:stub-whisper-broken' } })).toBe(0);
    expect(await db().cacheEntry.count({ where: { modelId: 'compatible:stub-whisper-broken' } })).toBe(cacheBefore);
    expect(await tmpFiles()).toEqual([]);
  });

  it('stops when aborted, and leaves no temporary file', async () => {
    vi.stubEnv('TRANSCRIPTION_MAX_UPLOAD_BYTES', String(SMALL_UPLOAD_BYTES));
    const own = await longSpeechOfItsOwn(dir, 'aborted', 30);
    const controller = new AbortController();
    const { result } = transcribe(own.file, {
      signal: controller.signal,
      // Aborted once the sound is converted and hashed, before any chunk is answered.
      onProgress: () => controller.abort(new Error('canceled')),
    });
    await expect(result).rejects.toThrow('canceled');
    expect(transcriptionCalls()).toEqual([]);
    // No transcript of this sound was stored (it is found by the hash of its speech audio).
    const speechWav = path.join(dir, 'aborted.speech.wav');
    await toSpeechAudio(own.file, speechWav);
    expect(await findTranscript(createHash('sha256').update(await readFile(speechWav)).digest('hex'), MODEL_ID)).toBeNull();
    expect(await tmpFiles()).toEqual([]);
  }, 60_000);

  it('refuses to run without a transcription model', async () => {
    vi.stubEnv('TRANSCRIPTION_MODEL', undefined);
    await expect(transcribe(speech.file).result).rejects.toThrow(/TRANSCRIPTION_MODEL/);
    expect(transcriptionCalls()).toEqual([]);
  });
});
