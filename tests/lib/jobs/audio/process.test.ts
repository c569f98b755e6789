/**
 * A recording from upload to transcript and playback copy, and a video's sound track, against the
 * real database, local blob storage, real ffmpeg and the stub model over HTTP: what is stored, how
 * many transcription calls it takes, that the same sound is not transcribed twice, and how a job
 * fails, is cut off and resumes, or is canceled midway.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startStubModel, type StubModel } from '@/e2e/stub-model/server';
import type { Caller } from '@/lib/auth/quotas';
import { db } from '@/lib/db/client';
import { getVideoJob } from '@/lib/db/video-jobs';
import { jobQueue, queues, stopJobQueue } from '@/lib/jobs/boss';
import { audioStageStart } from '@/lib/jobs/progress';
import { processAudio } from '@/lib/jobs/audio/process';
import { cancelProcessing, retryProcessing } from '@/lib/jobs/control';
import { processVideo } from '@/lib/jobs/video/process';
import type { TimedText } from '@/lib/media/subtitles';
import { runTool } from '@/lib/media/video/run';
import { ingestAudio, noTranscriptionMessage } from '@/lib/uploads/audio';
import { ingestVideo } from '@/lib/uploads/video';
import { longSpeechOfItsOwn, mp3WithoutLengthHeader, recordingTags, sentencesWithPausesOfItsOwn, silenceOfItsOwn, spokenLayoutOfItsOwn, taggedRecordings, videoWithSound } from '@/tests/support/audio';
import { useLocalDataDir } from '@/tests/support/data-dir';
import { rejectionWith } from '@/tests/support/errors';
import { transcribedRecording, withdrawnJob } from '@/tests/support/recordings';
import { toSrt } from '@/lib/media/subtitles';
import { pointAtStub } from '@/tests/support/stub-env';
import { ensureTestUser } from '@/tests/support/users';

const data = useLocalDataDir('audio-process');
let stub: StubModel;
let dir = '';
const caller: Caller = { id: `audio-process-${randomUUID()}`, type: 'user' };

type Layout = Awaited<ReturnType<typeof spokenLayoutOfItsOwn>>;
let speech: Layout;
let tagged: Awaited<ReturnType<typeof taggedRecordings>>;

/** ≈ 37.5 s of 16 kHz mono 16-bit WAV per chunk. */
const SMALL_UPLOAD_BYTES = '1200000';
const toleranceMs = 300;

const body = async (file: string) => new Response(await readFile(file)).body!;
const transcriptionCalls = () => stub.requests.filter((r) => r.path === '/v1/audio/transcriptions');
const answeredTranscriptions = () => transcriptionCalls().filter((r) => r.status === 200).length;
const tmpFiles = () => data.tempFiles();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function mediaRow(id: string) {
  return db().media.findUniqueOrThrow({ where: { id }, include: { transcript: true } });
}

function pause(ms: number) {
  return { silenceMs: ms };
}

/** The segments are in order, none lies in a pause, and each sentence's words start and end where it was put. */
function expectSentencesHeard(segments: TimedText[], speechMs: Layout['speechMs']) {
  segments.forEach((segment, i) => {
    if (i > 0) expect(segment.startMs).toBeGreaterThanOrEqual(segments[i - 1].endMs);
    expect(speechMs.some((s) => segment.startMs >= s.startMs - toleranceMs && segment.endMs <= s.endMs + toleranceMs)).toBe(true);
  });
  for (const sentence of speechMs) {
    const heard = segments.filter((s) => s.startMs < sentence.endMs && s.endMs > sentence.startMs);
    expect(heard.length).toBeGreaterThan(0);
    expect(Math.abs(heard[0].startMs - sentence.startMs)).toBeLessThanOrEqual(toleranceMs);
    expect(Math.abs(heard.at(-1)!.endMs - sentence.endMs)).toBeLessThanOrEqual(toleranceMs);
  }
}

interface ProbedCopy {
  format: { format_name: string; tags?: Record<string, string> };
  streams: { codec_type: string; codec_name: string; tags?: Record<string, string> }[];
  chapters: unknown[];
}

async function probeCopy(file: string): Promise<ProbedCopy> {
  const { stdout } = await runTool('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-show_chapters', file]);
  return JSON.parse(stdout) as ProbedCopy;
}

/**
 * Runs `run` with the app talking to the stub through a network where each transcription takes
 * `delayMs` (the stub answers at once): a request the app gives up on meanwhile never reaches the
 * stub. The stub still does all the hearing; `onTranscription` runs as each transcription request
 * arrives, and `network.arrived` counts them. Afterwards the app talks to the stub directly again.
 */
async function throughSlowNetwork(
  { delayMs, onTranscription = () => {} }: { delayMs: number; onTranscription?: () => Promise<void> | void },
  run: (network: { readonly arrived: number }) => Promise<void>,
) {
  const upstream = new URL(stub.url).origin;
  let arrived = 0;
  const server = createServer(async (req, res) => {
    let gone = false;
    res.once('close', () => (gone = !res.writableFinished));
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.url?.endsWith('/audio/transcriptions')) {
      arrived++;
      await onTranscription();
      await sleep(delayMs);
      if (gone) return;
    }
    const answer = await fetch(`${upstream}${req.url}`, {
      method: req.method,
      headers: { 'content-type': req.headers['content-type'] ?? 'application/json', authorization: req.headers.authorization ?? '' },
      body: req.method === 'GET' ? undefined : Buffer.concat(chunks),
    });
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  vi.stubEnv('OPENAI_COMPATIBLE_BASE_URL', `http://127.0.0.1:${port}/v1`);
  try {
    await run({
      get arrived() {
        return arrived;
      },
    });
  } finally {
    vi.stubEnv('OPENAI_COMPATIBLE_BASE_URL', stub.url);
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}

beforeAll(async () => {
  stub = await startStubModel({ deltaDelayMs: 0 });
  await ensureTestUser(caller.id);
  dir = path.join(data.dir, 'fixtures');
  await mkdir(dir, { recursive: true });
  speech = await sentencesWithPausesOfItsOwn(dir, 'pauses');
  tagged = await taggedRecordings(dir, speech.file);
}, 60_000);

beforeEach(() => {
  stub.reset();
  // Before each test: some change the transcription model or the upload limit.
  pointAtStub(stub.url, { transcription: 'compatible:stub-whisper' });
  vi.stubEnv('TRANSCRIPTION_MAX_UPLOAD_BYTES', undefined);
});

afterAll(async () => {
  await stopJobQueue();
  await stub?.stop();
  await db().$disconnect();
});

describe('processing a recording', () => {
  it('transcribes it, keeps the transcript, and stores a playback copy without metadata', async () => {
    const recording = await ingestAudio(caller, await body(tagged.mp3), 'Meeting.mp3');
    expect(recording).toMatchObject({ kind: 'audio', mediaType: 'audio/mpeg' });
    expect((await getVideoJob(recording.id))?.status).toBe('queued');

    await processAudio(await withdrawnJob(recording.id));

    expect(await getVideoJob(recording.id)).toMatchObject({
      status: 'succeeded',
      stage: 'done',
      progress: 1,
      error: null,
      attempts: 1,
      modelId: 'compatible:stub-whisper',
      modelCalls: 1,
      cachedCalls: 0,
      costUsd: 0,
    });
    expect(transcriptionCalls().map((r) => [r.model, r.status])).toEqual([['stub-whisper', 200]]);
    const media = await mediaRow(recording.id);
    expect(media.transcript).toMatchObject({ modelId: 'compatible:stub-whisper', language: 'en' });
    // MP3 starts with the encoder's delay; the speech is still where it was, within the tolerance.
    expectSentencesHeard(media.transcript!.segments as unknown as TimedText[], speech.speechMs);
    expect((media.transcript!.segments as unknown as TimedText[]).every((s) => /^Stub words \d+$/.test(s.text))).toBe(true);

    // The copy people play: MP3 sound copied into an M4A, with nothing of the sender's tags or cover.
    expect(media.playbackKey).toBe(`playback/${media.sha256}.mp4`);
    const copy = await probeCopy(data.blobPath(media.playbackKey!));
    expect(copy.format.format_name).toContain('mp4');
    expect(copy.streams.map((s) => [s.codec_type, s.codec_name])).toEqual([['audio', 'mp3']]);
    expect(copy.chapters).toEqual([]);
    const tags = Object.assign({}, copy.format.tags, ...copy.streams.map((s) => s.tags));
    for (const key of ['title', 'artist', 'comment', 'encoder']) expect(tags).not.toHaveProperty(key);
    const secrets = Object.values(recordingTags);
    expect(Object.values(tags).filter((value) => secrets.some((secret) => String(value).includes(secret.split(' ')[0])))).toEqual([]);
    expect(await tmpFiles()).toEqual([]);
  });

  it('makes an AAC copy of a WAV, and transcribes it to the same times', async () => {
    const own = await spokenLayoutOfItsOwn(dir, 'wav', [pause(300), { sentence: 2 }, pause(900), { sentence: 0 }, pause(300)]);
    const media = await transcribedRecording(caller, own.file, 'note.wav');

    expect(await getVideoJob(media.id)).toMatchObject({ status: 'succeeded', modelCalls: 1 });
    expectSentencesHeard(media.transcript!.segments as unknown as TimedText[], own.speechMs);
    const copy = await probeCopy(data.blobPath(media.playbackKey!));
    expect(copy.streams.map((s) => [s.codec_type, s.codec_name])).toEqual([['audio', 'aac']]);
  });

  it.each(['whispercpp', 'localai', 'speaches', 'vllm'] as const)('transcribes to the same times when the server answers as %s does (segment shapes the SDK refused)', async (dialect) => {
    stub.configure({ transcriptionDialect: dialect });
    const own = await spokenLayoutOfItsOwn(dir, `as-${dialect}`, [pause(300), { sentence: 2 }, pause(900), { sentence: 0 }, pause(300)]);
    const media = await transcribedRecording(caller, own.file, `${dialect}.wav`);

    expect(await getVideoJob(media.id)).toMatchObject({ status: 'succeeded', attempts: 1 });
    const segments = media.transcript!.segments as unknown as TimedText[];
    expectSentencesHeard(segments, own.speechMs);
    // The SRT a person downloads has a cue per segment, at its time.
    expect(toSrt(segments).match(/-->/g)).toHaveLength(segments.length);
    expect(media.transcript!.language === null || media.transcript!.language === 'en').toBe(true);
  });

  it('transcribes a long recording in chunks under the upload limit, every segment at its time', async () => {
    vi.stubEnv('TRANSCRIPTION_MAX_UPLOAD_BYTES', SMALL_UPLOAD_BYTES);
    const long = await longSpeechOfItsOwn(dir, 'long', 45);
    expect(long.durationMs).toBeGreaterThan(140_000);
    const flac = path.join(dir, 'long.flac');
    await runTool('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-i', long.file, '-c:a', 'flac', flac]);
    const recording = await transcribedRecording(caller, flac, 'lecture.flac');

    const calls = transcriptionCalls();
    expect(calls.length).toBeGreaterThanOrEqual(Math.ceil(long.durationMs / 37_500));
    for (const call of calls) expect((call.body as { file: { size: number } }).file.size).toBeLessThanOrEqual(Number(SMALL_UPLOAD_BYTES));
    expect(await getVideoJob(recording.id)).toMatchObject({ status: 'succeeded', modelCalls: calls.length, cachedCalls: 0 });
    const segments = recording.transcript!.segments as unknown as TimedText[];
    expectSentencesHeard(segments, long.speechMs);
    expect(segments.filter((s) => s.text === 'Stub words 1')).toHaveLength(calls.length);
  }, 120_000);

  it('does not transcribe the same sound twice, even in another container', async () => {
    const own = await spokenLayoutOfItsOwn(dir, 'again', [pause(400), { sentence: 1 }, pause(600), { sentence: 0 }, pause(400)]);
    const first = await transcribedRecording(caller, own.file, 'take.wav');
    expect(answeredTranscriptions()).toBe(1);

    const flac = path.join(dir, 'again.flac');
    await runTool('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-i', own.file, '-c:a', 'flac', flac]);
    const second = await transcribedRecording(caller, flac, 'take.flac');
    expect(second.mediaType).toBe('audio/flac');

    expect(transcriptionCalls()).toHaveLength(1);
    expect(await getVideoJob(second.id)).toMatchObject({ status: 'succeeded', modelCalls: 0 });
    expect(second.transcriptId).toBe(first.transcriptId);
    // Different files, so each has its own playback copy.
    expect(second.sha256).not.toBe(first.sha256);
    expect(second.playbackKey).toBe(`playback/${second.sha256}.mp4`);
  });

  it('succeeds with no words for silence', async () => {
    const silence = await silenceOfItsOwn(dir, 'silence');
    const media = await transcribedRecording(caller, silence.file, 'quiet room.wav');

    expect(await getVideoJob(media.id)).toMatchObject({ status: 'succeeded', modelCalls: 1 });
    expect(media.transcript?.segments).toEqual([]);
    expect(media.playbackKey).not.toBeNull();
  });

  it('transcribes all of an MP3 whose header understates its length, every segment ending after it starts', async () => {
    const own = await spokenLayoutOfItsOwn(dir, 'understated', [pause(300), { sentence: 0 }, pause(20_000), { sentence: 1 }, pause(500), { sentence: 2 }, pause(300)]);
    const file = await mp3WithoutLengthHeader(dir, own.file, 'understated');
    // What the header makes ffprobe believe: the last sentences lie beyond it.
    const { stdout } = await runTool('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]);
    expect(Number(stdout) * 1000).toBeLessThan(own.speechMs[1].startMs);

    const recording = await transcribedRecording(caller, file, 'radio.mp3');

    expect(await getVideoJob(recording.id)).toMatchObject({ status: 'succeeded' });
    const transcript = recording.transcript!;
    const segments = transcript.segments as unknown as TimedText[];
    for (const segment of segments) expect(segment.endMs).toBeGreaterThan(segment.startMs);
    expectSentencesHeard(segments, own.speechMs);
    expect(Math.abs(transcript.durationMs - own.durationMs)).toBeLessThan(150);
  });

  it('fails at once, in one attempt, when the failure is permanent (a model the server does not have)', async () => {
    vi.stubEnv('TRANSCRIPTION_MODEL', 'compatible:no-such-whisper');
    const own = await spokenLayoutOfItsOwn(dir, 'unknown-model', [pause(300), { sentence: 0 }, pause(300)]);
    const recording = await ingestAudio(caller, await body(own.file), 'unknown-model.wav');

    // Not the last attempt: the queue would retry a transient failure, but not this one.
    await processAudio(await withdrawnJob(recording.id));
    const job = await getVideoJob(recording.id);
    expect(job).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: 'The transcription server does not have the model “no-such-whisper” (HTTP 404). Pick another model, or check the model names configured.',
    });
    expect(transcriptionCalls().map((r) => r.status)).toEqual([404]);
    expect(await tmpFiles()).toEqual([]);
  });

  it('fails with words for people on the last attempt when the model fails, and says it is retrying before', async () => {
    vi.stubEnv('TRANSCRIPTION_MODEL', 'compatible:stub-whisper-broken');
    const own = await spokenLayoutOfItsOwn(dir, 'broken', [pause(300), { sentence: 0 }, pause(300)]);
    const recording = await ingestAudio(caller, await body(own.file), 'broken.wav');
    const message = 'The transcription server failed (HTTP 500). Try again, or pick another model.';

    await expect(processAudio(await withdrawnJob(recording.id))).rejects.toThrow();
    // The cause is shown, and the label says "Retrying 1/3 soon" (components/video/job.ts).
    expect(await getVideoJob(recording.id)).toMatchObject({ status: 'queued', error: message, attempts: 1 });

    await processAudio({ ...(await withdrawnJob(recording.id)), id: randomUUID(), lastAttempt: true });
    const job = await getVideoJob(recording.id);
    expect(job).toMatchObject({ status: 'failed', error: message, attempts: 2, modelCalls: 0 });
    expect(job!.error).not.toMatch(/\n|\bat \S+ \(|Error:|stub|127\.0\.0\.1/);
    expect(transcriptionCalls().map((r) => r.status)).toEqual([500, 500]);
    const media = await mediaRow(recording.id);
    expect(media.transcriptId).toBeNull();
    expect(media.playbackKey).toBeNull();
    expect(await tmpFiles()).toEqual([]);
  });

  it('fails, saying so, when transcription was set up at upload but is gone when it runs', async () => {
    const own = await spokenLayoutOfItsOwn(dir, 'unconfigured', [pause(300), { sentence: 2 }, pause(300)]);
    const recording = await ingestAudio(caller, await body(own.file), 'later.wav');
    vi.stubEnv('TRANSCRIPTION_MODEL', undefined);
    await processAudio(await withdrawnJob(recording.id, true));
    expect(await getVideoJob(recording.id)).toMatchObject({ status: 'failed', error: noTranscriptionMessage });
    expect(transcriptionCalls()).toEqual([]);
  });

  it('resumes an attempt cut off midway, sending only the chunks that were not answered', async () => {
    vi.stubEnv('TRANSCRIPTION_MAX_UPLOAD_BYTES', SMALL_UPLOAD_BYTES);
    const long = await longSpeechOfItsOwn(dir, 'resume', 50);
    const recording = await ingestAudio(caller, await body(long.file), 'resume.wav');
    await throughSlowNetwork({ delayMs: 700 }, async () => {
      const lost = new AbortController();
      // The queue aborts an attempt whose claim lapsed; here, once the job's progress shows a chunk
      // answered (and so cached), while later chunks are still on their way.
      const firstChunkDone = audioStageStart.transcript + (audioStageStart.playback - audioStageStart.transcript) * 0.05;
      const watcher = (async () => {
        while (!lost.signal.aborted) {
          const job = await getVideoJob(recording.id);
          if (job?.stage === 'transcript' && job.progress > firstChunkDone + 0.001) lost.abort(new Error('claim lost'));
          await sleep(10);
        }
      })();
      await expect(processAudio({ ...(await withdrawnJob(recording.id)), signal: lost.signal })).rejects.toThrow('claim lost');
      await watcher;
      const afterFirst = await getVideoJob(recording.id);
      expect(afterFirst).toMatchObject({ status: 'queued', cachedCalls: 0 });
      // Chunks whose answers came back; any the stub answered after the cut-off were lost on the way.
      const answeredFirst = afterFirst!.modelCalls;
      expect(answeredFirst).toBeGreaterThanOrEqual(1);
      const sentFirst = transcriptionCalls().length;
      expect((await mediaRow(recording.id)).transcriptId).toBeNull();

      // The queue's retry: a new attempt id takes over.
      await processAudio({ id: randomUUID(), mediaId: recording.id, signal: new AbortController().signal, lastAttempt: false });
      const job = await getVideoJob(recording.id);
      const sentSecond = transcriptionCalls().length - sentFirst;
      expect(sentSecond).toBeGreaterThan(0);
      // The answered chunks come from the cache; only the others are sent.
      expect(job).toMatchObject({ status: 'succeeded', attempts: 2, modelCalls: answeredFirst + sentSecond, cachedCalls: answeredFirst });
      const segments = (await mediaRow(recording.id)).transcript!.segments as unknown as TimedText[];
      expect(segments.filter((s) => s.text === 'Stub words 1')).toHaveLength(answeredFirst + sentSecond);
      expectSentencesHeard(segments, long.speechMs);
    });
  }, 120_000);

  it('stops when canceled midway: no transcript attached, no more chunks sent, no copy made', async () => {
    vi.stubEnv('TRANSCRIPTION_MAX_UPLOAD_BYTES', SMALL_UPLOAD_BYTES);
    const long = await longSpeechOfItsOwn(dir, 'cancel', 50);
    const recording = await ingestAudio(caller, await body(long.file), 'cancel.wav');
    await throughSlowNetwork({ delayMs: 1500 }, async (network) => {
      const running = processAudio(await withdrawnJob(recording.id));
      await vi.waitFor(() => expect(network.arrived).toBeGreaterThan(0), { timeout: 20_000, interval: 5 });
      expect((await getVideoJob(recording.id))?.stage).toBe('transcript');
      await cancelProcessing(recording.id);
      const canceledAt = performance.now();
      await running;

      // It stopped when the first chunks came back (1.5 s), not after the second round of them (3 s and more).
      expect(performance.now() - canceledAt).toBeLessThan(2500);
      expect(answeredTranscriptions()).toBeLessThan(Math.floor(long.durationMs / 37_500));
      expect(await getVideoJob(recording.id)).toMatchObject({ status: 'canceled' });
      const media = await mediaRow(recording.id);
      expect(media.transcriptId).toBeNull();
      expect(media.playbackKey).toBeNull();
      expect(await tmpFiles()).toEqual([]);
    });

    // Retried, it goes back on the recordings' queue, and finishes.
    stub.reset();
    await retryProcessing(recording.id);
    const requeued = (await getVideoJob(recording.id))!.queueJobId!;
    const boss = await jobQueue();
    expect(await boss.getJobById(queues.audioProcess.name, requeued)).toMatchObject({ state: 'created', data: { mediaId: recording.id } });
    expect(await boss.getJobById(queues.videoProcess.name, requeued)).toBeNull();
    await processAudio(await withdrawnJob(recording.id));
    expect(await getVideoJob(recording.id)).toMatchObject({ status: 'succeeded' });
    expectSentencesHeard((await mediaRow(recording.id)).transcript!.segments as unknown as TimedText[], long.speechMs);
    await rejectionWith(retryProcessing(recording.id), 'conflict');
  }, 120_000);

  it('stops when canceled during its only transcription call, and attaches no transcript', async () => {
    const own = await spokenLayoutOfItsOwn(dir, 'cancel-one', [pause(300), { sentence: 0 }, pause(500), { sentence: 1 }, pause(300)]);
    const recording = await ingestAudio(caller, await body(own.file), 'cancel-one.wav');
    // A server that takes its time over one call, as OpenAI does over a long recording.
    await throughSlowNetwork({ delayMs: 3000 }, async (network) => {
      const running = processAudio(await withdrawnJob(recording.id));
      await vi.waitFor(() => expect(network.arrived).toBe(1), { timeout: 20_000, interval: 5 });
      await cancelProcessing(recording.id);
      const canceledAt = performance.now();
      await running;

      expect(await getVideoJob(recording.id)).toMatchObject({ status: 'canceled' });
      expect((await mediaRow(recording.id)).transcriptId).toBeNull();
      // Noticed within a progress interval or two, not when the call would have returned.
      expect(performance.now() - canceledAt).toBeLessThan(2000);
      expect(transcriptionCalls()).toEqual([]);
    });
  });

  it('does nothing once canceled before it ran', async () => {
    const own = await spokenLayoutOfItsOwn(dir, 'canceled', [pause(300), { sentence: 0 }, pause(300)]);
    const recording = await ingestAudio(caller, await body(own.file), 'canceled.wav');
    await cancelProcessing(recording.id);
    // The queue entry is canceled too, on the recordings' queue.
    const queued = await (await jobQueue()).getJobById(queues.audioProcess.name, (await getVideoJob(recording.id))!.queueJobId!);
    expect(queued?.state).toBe('cancelled');
    await processAudio(await withdrawnJob(recording.id));
    expect(await getVideoJob(recording.id)).toMatchObject({ status: 'canceled', attempts: 0 });
    expect(transcriptionCalls()).toEqual([]);
    const error = await rejectionWith(cancelProcessing(recording.id), 'conflict');
    expect(error.message).toMatch(/recording/);
  });
});

describe('a video’s sound', () => {
  it('is transcribed after the summary, and the video points at its transcript', async () => {
    const own = await spokenLayoutOfItsOwn(dir, 'video', [pause(400), { sentence: 0 }, pause(800), { sentence: 2 }, pause(500)]);
    const file = await videoWithSound(dir, own.file, 'talking');
    const video = await ingestVideo(caller, await body(file), 'talking.mp4');
    const stages: string[] = [];
    // Where the job says it is when the transcription request arrives.
    const onTranscription = async () => void stages.push((await getVideoJob(video.id))!.stage);
    await throughSlowNetwork({ delayMs: 0, onTranscription }, async () => processVideo(await withdrawnJob(video.id)));

    expect(stages).toEqual(['transcript']);
    const paths = stub.requests.map((r) => r.path);
    const summary = stub.requests.findIndex((r) => JSON.stringify(r.body).includes('Here is the timeline of a video'));
    expect(summary).toBeGreaterThanOrEqual(0);
    expect(paths.indexOf('/v1/audio/transcriptions')).toBeGreaterThan(summary);
    const job = await getVideoJob(video.id);
    expect(job).toMatchObject({ status: 'succeeded', stage: 'done', summary: expect.stringMatching(/^A stub summary/) });
    // Captions and summary, then the one transcription.
    expect(job!.modelCalls).toBe(paths.length);
    const media = await mediaRow(video.id);
    expect(media.transcript).toMatchObject({ modelId: 'compatible:stub-whisper', language: 'en' });
    expectSentencesHeard(media.transcript!.segments as unknown as TimedText[], own.speechMs);
    expect(media.playbackKey).toBe(`playback/${media.sha256}.mp4`);
  });

  it('is left alone without a transcription model: the video still succeeds', async () => {
    vi.stubEnv('TRANSCRIPTION_MODEL', undefined);
    const own = await spokenLayoutOfItsOwn(dir, 'video-untranscribed', [pause(400), { sentence: 1 }, pause(400)]);
    const video = await ingestVideo(caller, await body(await videoWithSound(dir, own.file, 'untranscribed')), 'untranscribed.mp4');
    await processVideo(await withdrawnJob(video.id));
    expect(await getVideoJob(video.id)).toMatchObject({ status: 'succeeded', stage: 'done', error: null });
    expect(transcriptionCalls()).toEqual([]);
    const media = await mediaRow(video.id);
    expect(media.transcriptId).toBeNull();
    expect(media.playbackKey).not.toBeNull();
  });
});
