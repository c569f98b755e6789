/**
 * streamTranslation end to end: a recording uploaded and transcribed for real (ffmpeg, database,
 * local storage, the stub's transcription), then translated by the stub's chat model over HTTP.
 * The stub answers "N. [<language>] <line>", so every streamed line can be predicted; what is
 * stored, listed on the upload, counted and asked of the model is checked against it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startStubModel, type StubModel } from '@/e2e/stub-model/server';
import { SKIPPED_LINES_MESSAGE } from '@/lib/ai/translation';
import type { Caller } from '@/lib/auth/quotas';
import { db } from '@/lib/db/client';
import { setMediaTranscript } from '@/lib/db/transcripts';
import { stopJobQueue } from '@/lib/jobs/boss';
import type { TimedText } from '@/lib/media/subtitles';
import { streamTranslation, type TranslationEvent } from '@/lib/transcripts/translate';
import { ingestAudio } from '@/lib/uploads/audio';
import { sentencesWithPausesOfItsOwn, silenceOfItsOwn } from '@/tests/support/audio';
import { useLocalDataDir } from '@/tests/support/data-dir';
import { rejectionWith } from '@/tests/support/errors';
import { transcribedRecording } from '@/tests/support/recordings';
import { pointAtStub } from '@/tests/support/stub-env';
import { ensureTestUser } from '@/tests/support/users';

const data = useLocalDataDir('translate');
let stub: StubModel;
let dir = '';
const caller: Caller = { id: `translate-${randomUUID()}`, type: 'user' };
const TRANSLATOR = 'compatible:stub-vision';

const body = async (file: string) => new Response(await readFile(file)).body!;
const chatCalls = () => stub.requests.filter((r) => r.path === '/v1/chat/completions');
const media = (id: string) => db().media.findUniqueOrThrow({ where: { id } });
const messagesUsed = (who: Caller) => db().usageEvent.count({ where: { userId: who.id, kind: 'message' } });

/** Every event of the NDJSON stream, read to its end; each line must be one JSON event. */
async function readEvents(stream: ReadableStream<Uint8Array>, onEvent?: (event: TranslationEvent) => void): Promise<TranslationEvent[]> {
  const events: TranslationEvent[] = [];
  const decoder = new TextDecoder();
  let pending = '';
  const reader = stream.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    pending += decoder.decode(read.value, { stream: true });
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      const event = JSON.parse(line) as TranslationEvent;
      events.push(event);
      onEvent?.(event);
    }
  }
  expect(pending).toBe('');
  return events;
}

let spoken: Awaited<ReturnType<typeof transcribedRecording>>;
let segments: TimedText[];

beforeAll(async () => {
  stub = await startStubModel({ deltaDelayMs: 0 });
  pointAtStub(stub.url, { transcription: 'compatible:stub-whisper' });
  await ensureTestUser(caller.id);
  dir = path.join(data.dir, 'fixtures');
  await mkdir(dir, { recursive: true });
  const speech = await sentencesWithPausesOfItsOwn(dir, 'speech');
  spoken = await transcribedRecording(caller, speech.file, 'Interview.wav');
  segments = ((await db().transcript.findUniqueOrThrow({ where: { id: spoken.transcriptId! } })).segments as unknown) as TimedText[];
  expect(segments.length).toBeGreaterThanOrEqual(3);
}, 60_000);

beforeEach(() => {
  stub.reset();
  vi.stubEnv('QUOTA_USER_MESSAGES_PER_DAY', undefined);
});

afterAll(async () => {
  await stopJobQueue();
  await stub?.stop();
  await db().$disconnect();
});

describe('streamTranslation', () => {
  it('streams each segment as it is translated, then stores the translation and lists it on the upload', async () => {
    const usedBefore = await messagesUsed(caller);
    const events = await readEvents(await streamTranslation(caller, await media(spoken.id), 'French', new AbortController().signal));

    const lines = events.filter((e) => e.type === 'segment');
    expect(events).toHaveLength(segments.length + 1);
    expect(lines.map((e) => e.index).sort((a, b) => a - b)).toEqual(segments.map((_, i) => i));
    for (const line of lines) expect(line.text).toBe(`[French] ${segments[line.index].text}`);
    const done = events.at(-1)!;
    expect(done.type).toBe('done');
    const translation = (done as Extract<TranslationEvent, { type: 'done' }>).translation;
    expect(translation).toEqual({ id: expect.any(String), language: 'French', texts: segments.map((s) => `[French] ${s.text}`) });

    const stored = await db().transcriptTranslation.findUniqueOrThrow({ where: { id: translation.id } });
    expect(stored).toMatchObject({ transcriptId: spoken.transcriptId, language: 'French', languageKey: 'french', modelId: TRANSLATOR, texts: translation.texts });
    expect(stored.inputTokens).toBeGreaterThan(0);
    expect((await media(spoken.id)).translationIds).toEqual([translation.id]);
    // One call for these few lines, and it counts as one message.
    expect(chatCalls().map((r) => [r.model, r.status])).toEqual([['stub-vision', 200]]);
    expect(await messagesUsed(caller)).toBe(usedBefore + 1);
  });

  it('answers a language asked for again, in any case, at once: no model call, no message counted, no duplicate', async () => {
    const first = (await readEvents(await streamTranslation(caller, await media(spoken.id), 'French', new AbortController().signal))).at(-1);
    stub.reset();
    const usedBefore = await messagesUsed(caller);

    const events = await readEvents(await streamTranslation(caller, await media(spoken.id), '  french ', new AbortController().signal));
    expect(events).toEqual([first]);
    expect(events[0]).toMatchObject({ type: 'done', translation: { language: 'French' } });
    expect(chatCalls()).toEqual([]);
    expect(await messagesUsed(caller)).toBe(usedBefore);
    expect((await media(spoken.id)).translationIds).toHaveLength(1);
  });

  it('keeps each language apart, listed in the order asked', async () => {
    const german = (await readEvents(await streamTranslation(caller, await media(spoken.id), 'German', new AbortController().signal))).at(-1);
    expect(german).toMatchObject({ type: 'done', translation: { language: 'German', texts: segments.map((s) => `[German] ${s.text}`) } });
    const ids = (await media(spoken.id)).translationIds;
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBe((german as Extract<TranslationEvent, { type: 'done' }>).translation.id);
    expect(chatCalls()).toHaveLength(1);
  });

  it('gives another upload of the same sound the translation already made, listed on it too', async () => {
    const other: Caller = { id: `translate-other-${randomUUID()}`, type: 'user' };
    await ensureTestUser(other.id);
    const original = await db().media.findUniqueOrThrow({ where: { id: spoken.id } });
    const copy = await transcribedRecording(other, path.join(data.dir, 'blobs', ...original.originalKey.split('/')), 'copy.wav');
    expect(copy.transcriptId).toBe(spoken.transcriptId);
    expect(copy.translationIds).toEqual([]);
    stub.reset();

    const events = await readEvents(await streamTranslation(other, copy, 'FRENCH', new AbortController().signal));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'done', translation: { id: original.translationIds[0], language: 'French' } });
    expect(chatCalls()).toEqual([]);
    expect((await media(copy.id)).translationIds).toEqual([original.translationIds[0]]);
    // The first upload's list is its own.
    expect((await media(spoken.id)).translationIds).toEqual(original.translationIds);
  });

  it('refuses before streaming when there is no transcript yet, or nothing was said', async () => {
    const pending = await ingestAudio(caller, await body(path.join(data.dir, 'fixtures', 'speech.wav')), 'pending.wav');
    const error = await rejectionWith(streamTranslation(caller, await media(pending.id), 'French', new AbortController().signal), 'conflict');
    expect(error.message).toBe('This recording has no transcript yet; wait until it is transcribed.');

    const silence = await silenceOfItsOwn(dir, 'silence');
    const quiet = await transcribedRecording(caller, silence.file, 'quiet.wav');
    const usedBefore = await messagesUsed(caller);
    const empty = await rejectionWith(streamTranslation(caller, quiet, 'French', new AbortController().signal), 'conflict');
    expect(empty.message).toBe('Nothing was said in this recording, so there is nothing to translate.');
    expect(chatCalls()).toEqual([]);
    expect(await messagesUsed(caller)).toBe(usedBefore);
    expect(await db().transcriptTranslation.count({ where: { transcriptId: quiet.transcriptId! } })).toBe(0);
  });

  it('refuses a new translation past the day’s messages, but still gives one already made', async () => {
    vi.stubEnv('QUOTA_USER_MESSAGES_PER_DAY', '0');
    const error = await rejectionWith(streamTranslation(caller, await media(spoken.id), 'Italian', new AbortController().signal), 'rate_limited');
    expect(error.message).toMatch(/the limit for accounts is 0 per day/);
    const events = await readEvents(await streamTranslation(caller, await media(spoken.id), 'French', new AbortController().signal));
    expect(events.map((e) => e.type)).toEqual(['done']);
    expect(chatCalls()).toEqual([]);
  });

  it('ends with an error event, and stores nothing, when the model leaves lines out', async () => {
    // A transcript as a model might have heard it: 50 lines (two batches), the 46th of which the stub leaves out.
    const lines: TimedText[] = Array.from({ length: 50 }, (_, i) => ({ startMs: i * 2000, endMs: i * 2000 + 1500, text: `Line ${i + 1}${i === 45 ? ' [skip-me]' : ''}` }));
    const transcript = await db().transcript.create({
      data: { audioSha256: randomBytes(32).toString('hex'), modelId: 'compatible:stub-whisper', language: 'en', durationMs: 100_000, segments: lines as object[] },
    });
    const upload = await ingestAudio(caller, await body(path.join(data.dir, 'fixtures', 'speech.wav')), 'skipped.wav');
    await setMediaTranscript(upload.id, transcript.id);

    const usedBefore = await messagesUsed(caller);
    const events = await readEvents(await streamTranslation(caller, await media(upload.id), 'Spanish', new AbortController().signal));
    expect(events.at(-1)).toEqual({ type: 'error', message: SKIPPED_LINES_MESSAGE });
    // Nothing was made, so nothing is counted against the day's messages.
    expect(await messagesUsed(caller)).toBe(usedBefore);
    expect(events.filter((e) => e.type === 'done')).toEqual([]);
    // Lines that did come back were shown as they came, each once and as the stub wrote it.
    const shown = events.filter((e) => e.type === 'segment');
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.map((e) => e.index)).not.toContain(45);
    expect(new Set(shown.map((e) => e.index)).size).toBe(shown.length);
    for (const e of shown) expect(e.text).toBe(`[Spanish] ${lines[e.index].text}`);
    // The batch with the gap was asked twice.
    expect(chatCalls().filter((r) => JSON.stringify(r.body).includes('[skip-me]'))).toHaveLength(2);

    expect(await db().transcriptTranslation.count({ where: { transcriptId: transcript.id } })).toBe(0);
    expect((await media(upload.id)).translationIds).toEqual([]);
  });

  it('stops, stores nothing and says nothing more once the person goes away', async () => {
    const slow = await startStubModel({ deltaDelayMs: 40 });
    vi.stubEnv('OPENAI_COMPATIBLE_BASE_URL', slow.url);
    const listedBefore = (await media(spoken.id)).translationIds;
    try {
      const gone = new AbortController();
      const events = await readEvents(await streamTranslation(caller, await media(spoken.id), 'Dutch', gone.signal), (event) => {
        if (event.type === 'segment') gone.abort(new Error('closed the tab'));
      });
      expect(events.map((e) => e.type)).toEqual(['segment']);
      await vi.waitFor(() => expect(slow.requests[0]?.clientAborted).toBe(true), { timeout: 5000, interval: 20 });
      const stored = await db().transcriptTranslation.count({ where: { transcriptId: spoken.transcriptId!, languageKey: 'dutch' } });
      expect(stored).toBe(0);
      expect((await media(spoken.id)).translationIds).toEqual(listedBefore);
    } finally {
      vi.stubEnv('OPENAI_COMPATIBLE_BASE_URL', stub.url);
      await slow.stop();
    }
  });
});
