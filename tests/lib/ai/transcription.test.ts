/**
 * Transcription through the real openai provider against the stub over HTTP, so the form fields
 * and the verbose_json answer are the ones a Whisper-style server sees and sends.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APICallError } from '@ai-sdk/provider';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startStubModel, type StubModel } from '../../../e2e/stub-model/server';
import { transcribeAudio, transcriptionModel } from '@/lib/ai/transcription';

const SAMPLE_RATE = 16_000;

/** A mono 16-bit PCM WAV: each part is a 440 Hz tone at half volume or silence, for `seconds`. */
function wav(parts: { tone: boolean; seconds: number }[]): Uint8Array {
  const samples = parts.flatMap(({ tone, seconds }) =>
    Array.from({ length: Math.round(seconds * SAMPLE_RATE) }, (_, i) => (tone ? Math.round(0.5 * 32767 * Math.sin((2 * Math.PI * 440 * i) / SAMPLE_RATE)) : 0)),
  );
  const bytes = Buffer.alloc(44 + samples.length * 2);
  bytes.write('RIFF', 0);
  bytes.writeUInt32LE(36 + samples.length * 2, 4);
  bytes.write('WAVEfmt ', 8);
  bytes.writeUInt32LE(16, 16);
  bytes.writeUInt16LE(1, 20); // PCM
  bytes.writeUInt16LE(1, 22); // mono
  bytes.writeUInt32LE(SAMPLE_RATE, 24);
  bytes.writeUInt32LE(SAMPLE_RATE * 2, 28);
  bytes.writeUInt16LE(2, 32);
  bytes.writeUInt16LE(16, 34);
  bytes.write('data', 36);
  bytes.writeUInt32LE(samples.length * 2, 40);
  samples.forEach((s, i) => bytes.writeInt16LE(s, 44 + 2 * i));
  return new Uint8Array(bytes);
}

let stub: StubModel;

beforeAll(async () => {
  stub = await startStubModel({ port: 0 });
});
beforeEach(() => {
  stub.reset();
  vi.stubEnv('OPENAI_COMPATIBLE_BASE_URL', stub.url);
  vi.stubEnv('TRANSCRIPTION_MODEL', 'compatible:stub-whisper');
});
afterEach(() => vi.unstubAllEnvs());
afterAll(() => stub.stop());

describe('transcribeAudio against the stub', () => {
  it('returns one timed segment per stretch of sound, and asks for segment timestamps', async () => {
    const audio = wav([
      { tone: true, seconds: 1 },
      { tone: false, seconds: 0.8 },
      { tone: true, seconds: 1.5 },
    ]);
    const transcript = await transcribeAudio(audio, { mediaType: 'audio/wav', durationMs: 1000 });

    expect(transcript.language).toBe('en');
    expect(transcript.durationMs).toBe(3300);
    expect(transcript.segments.map((s) => s.text)).toEqual(['Stub words 1', 'Stub words 2']);
    const [first, second] = transcript.segments;
    expect(Math.abs(first.startMs - 0)).toBeLessThanOrEqual(100);
    expect(Math.abs(first.endMs - 1000)).toBeLessThanOrEqual(100);
    expect(Math.abs(second.startMs - 1800)).toBeLessThanOrEqual(100);
    expect(Math.abs(second.endMs - 3300)).toBeLessThanOrEqual(100);

    expect(stub.requests).toHaveLength(1);
    expect(stub.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/audio/transcriptions',
      status: 200,
      body: { model: 'stub-whisper', response_format: 'verbose_json', timestamp_granularities: ['segment'], file: { type: 'audio/wav', size: audio.length } },
    });
  });

  it('takes text without times (gpt-4o-transcribe answers so) as one segment over the audio sent, without asking for verbose_json', async () => {
    vi.stubEnv('TRANSCRIPTION_MODEL', 'openai:gpt-4o-transcribe');
    vi.stubEnv('OPENAI_BASE_URL', stub.url);
    vi.stubEnv('OPENAI_API_KEY', 'test-key');
    const audio = wav([
      { tone: true, seconds: 1 },
      { tone: false, seconds: 0.8 },
      { tone: true, seconds: 1.5 },
    ]);
    const transcript = await transcribeAudio(audio, { mediaType: 'audio/wav', durationMs: 3300 });
    expect(transcript).toEqual({ language: null, durationMs: null, segments: [{ startMs: 0, endMs: 3300, text: 'Stub words 1 Stub words 2' }] });
    expect(stub.requests[0].body).toMatchObject({ model: 'gpt-4o-transcribe' });
    expect((stub.requests[0].body as { response_format?: string }).response_format).not.toBe('verbose_json');
  });

  it('finds no segments in silence', async () => {
    const transcript = await transcribeAudio(wav([{ tone: false, seconds: 2 }]), { mediaType: 'audio/wav', durationMs: 1000 });
    expect(transcript).toEqual({ language: 'en', durationMs: 2000, segments: [] });
  });

  it('surfaces a failing model as the provider error, without retrying it', async () => {
    vi.stubEnv('TRANSCRIPTION_MODEL', 'compatible:stub-whisper-broken');
    const error = await transcribeAudio(wav([{ tone: true, seconds: 0.5 }]), { mediaType: 'audio/wav', durationMs: 1000 }).catch((e: unknown) => e);
    expect(APICallError.isInstance(error)).toBe(true);
    expect((error as APICallError).statusCode).toBe(500);
    expect(stub.requests.map((r) => r.status)).toEqual([500]);
  });

  it('passes on the stub refusing audio it cannot decode', async () => {
    const error = await transcribeAudio(new Uint8Array([0x49, 0x44, 0x33, 0, 0, 0, 0]), { mediaType: 'audio/mpeg', durationMs: 1000 }).catch((e: unknown) => e);
    expect((error as APICallError).statusCode).toBe(400);
    expect((error as APICallError).message).toContain('only understands 16-bit PCM WAV');
    expect(stub.requests[0].body).toMatchObject({ file: { type: 'audio/mpeg' } });
  });
});

describe('retrying rate limits', () => {
  let server: Server;
  let calls = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      calls++;
      req.resume();
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '0' });
      res.end(JSON.stringify({ error: { message: 'slow down', type: 'requests', param: null, code: 'rate_limit_exceeded' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('tries a 429ing server three times, honouring Retry-After, then gives its error', async () => {
    vi.stubEnv('OPENAI_COMPATIBLE_BASE_URL', `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`);
    const started = Date.now();
    const error = await transcribeAudio(wav([{ tone: true, seconds: 0.2 }]), { mediaType: 'audio/wav', durationMs: 1000 }).catch((e: unknown) => e);
    expect((error as APICallError).statusCode).toBe(429);
    expect(calls).toBe(3);
    // Retry-After: 0 wins over the 0.5 s + 1 s backoff.
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('transcriptionModel', () => {
  it('is null when TRANSCRIPTION_MODEL is unset, so callers can say transcription is off', () => {
    vi.stubEnv('TRANSCRIPTION_MODEL', '');
    expect(transcriptionModel()).toBeNull();
  });

  it('takes OpenAI models from the OpenAI settings', () => {
    vi.stubEnv('TRANSCRIPTION_MODEL', 'openai:whisper-1');
    vi.stubEnv('OPENAI_API_KEY', 'sk-test');
    expect(transcriptionModel()).toEqual({ id: 'openai:whisper-1' });
  });

  it('turns transcription off, saying why in the log, for a setting without a known provider or a server', () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.stubEnv('TRANSCRIPTION_MODEL', 'whisper-1');
    expect(transcriptionModel()).toBeNull();
    expect(logged).toHaveBeenLastCalledWith(expect.stringMatching(/openai:<model> or compatible:<model>, not "whisper-1"/));
    vi.stubEnv('TRANSCRIPTION_MODEL', 'compatible:faster-whisper');
    vi.stubEnv('OPENAI_COMPATIBLE_BASE_URL', '');
    expect(transcriptionModel()).toBeNull();
    expect(logged).toHaveBeenLastCalledWith(expect.stringMatching(/needs OPENAI_COMPATIBLE_BASE_URL/));
    logged.mockRestore();
  });
});
