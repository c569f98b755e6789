/** The stub's transcription endpoint over plain HTTP, for what the AI SDK never asks for. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStubModel, type StubModel } from '../../e2e/stub-model/server';

let stub: StubModel;

beforeAll(async () => {
  stub = await startStubModel();
});
beforeEach(() => stub.reset());
afterAll(() => stub.stop());

/** 0.3 s of a full-scale square wave at 8 kHz, stereo, so channel interleaving is exercised too. */
function stereoWav(): Uint8Array<ArrayBuffer> {
  const frames = 2400;
  const bytes = Buffer.alloc(44 + frames * 4);
  bytes.write('RIFFxxxxWAVEfmt ', 0);
  bytes.writeUInt32LE(16, 16);
  bytes.writeUInt16LE(1, 20);
  bytes.writeUInt16LE(2, 22);
  bytes.writeUInt32LE(8000, 24);
  bytes.writeUInt32LE(32000, 28);
  bytes.writeUInt16LE(4, 32);
  bytes.writeUInt16LE(16, 34);
  bytes.write('data', 36);
  bytes.writeUInt32LE(frames * 4, 40);
  for (let i = 0; i < frames * 2; i++) bytes.writeInt16LE(Math.floor(i / 20) % 2 ? 32767 : -32767, 44 + 2 * i);
  return new Uint8Array(bytes);
}

function post(fields: Record<string, string>, file: Uint8Array<ArrayBuffer> | null) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (file) form.append('file', new Blob([file], { type: 'audio/wav' }), 'audio.wav');
  return fetch(`${stub.url}/audio/transcriptions`, { method: 'POST', body: form });
}

describe('stub transcription endpoint', () => {
  it('answers response_format json with the text alone', async () => {
    const res = await post({ model: 'stub-whisper', response_format: 'json' }, stereoWav());
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ text: 'Stub words 1' });
  });

  it('times a stereo file by frames, not samples', async () => {
    const res = await post({ model: 'stub-whisper', response_format: 'verbose_json' }, stereoWav());
    const body = await res.json();
    expect(body).toMatchObject({ task: 'transcribe', language: 'en', duration: 0.3, text: 'Stub words 1' });
    expect(body.segments).toMatchObject([{ id: 0, start: 0, end: 0.3, text: 'Stub words 1' }]);
  });

  it('refuses a request without a file, and unknown models, like OpenAI', async () => {
    expect((await post({ model: 'stub-whisper' }, null)).status).toBe(400);
    const unknown = await post({ model: 'whisper-9' }, stereoWav());
    expect(unknown.status).toBe(404);
    expect(stub.requests.map((r) => [r.path, r.model, r.status])).toEqual([
      ['/v1/audio/transcriptions', 'stub-whisper', 400],
      ['/v1/audio/transcriptions', 'whisper-9', 404],
    ]);
  });
});
