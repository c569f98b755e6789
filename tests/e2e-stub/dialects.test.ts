/**
 * The stub's dialects over raw HTTP: every server's stream parses into the same answer, and usage,
 * reasoning, errors, structured output and transcription come back the way that server sends them.
 */
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { streamText } from 'ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../e2e/stub-model/dialects';
import { DIALECT_IDS, type Dialect, type ErrorCase, type TranscriptionFormat } from '../../e2e/stub-model/dialects/types';
import { stubJson } from '../../e2e/stub-model/json-answer';
import { REFUSAL, startStubModel, stubAnswer, stubReasoning, stubTranscript, decodeWav, type StubModel } from '../../e2e/stub-model/server';

let stub: StubModel;

beforeAll(async () => {
  stub = await startStubModel({ deltaDelayMs: 0 });
});
beforeEach(() => stub.reset());
afterAll(() => stub.stop());

const all = DIALECT_IDS.map((id) => DIALECTS[id]);
const chatDialects = all.filter((d) => d.chat);
const transcriptionDialects = all.filter((d) => d.transcription);

type Chunk = { choices?: { delta?: Record<string, unknown>; message?: Record<string, unknown> }[]; usage?: { prompt_tokens: number; completion_tokens: number } | null };

function chat(body: object) {
  return fetch(`${stub.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'stub-vision', ...body }) });
}

/** The `data:` payloads of an SSE answer, `[DONE]` included. */
async function events(body: object): Promise<string[]> {
  const text = await (await chat({ stream: true, ...body })).text();
  return text
    .split('\n\n')
    .filter((event) => event.startsWith('data: '))
    .map((event) => event.slice('data: '.length));
}

async function streamed(body: object) {
  const payloads = await events(body);
  const chunks = payloads.filter((p) => p !== '[DONE]').map((p) => JSON.parse(p) as Chunk);
  const field = (name: string) => chunks.map((c) => c.choices?.[0]?.delta?.[name]).filter((v): v is string => typeof v === 'string').join('');
  return { payloads, chunks, content: field('content'), reasoning: field('reasoning') + field('reasoning_content'), refusal: field('refusal'), usage: chunks.find((c) => c.usage)?.usage };
}

const ask = (prompt: string) => ({ messages: [{ role: 'user', content: prompt }] });

describe.each(chatDialects)('$id chat', (dialect: Dialect) => {
  beforeEach(() => stub.configure({ dialect: dialect.id }));

  it('streams chunks that join into the stub answer, usage when asked, then [DONE]', async () => {
    const { payloads, content, usage } = await streamed({ ...ask('Describe the sky'), stream_options: { include_usage: true } });
    expect(content).toBe(stubAnswer('Describe the sky', 0, 'stub-vision'));
    expect(usage?.prompt_tokens).toBe(14);
    expect(payloads.at(-1)).toBe('[DONE]');
  });

  it('sends no usage without include_usage', async () => {
    expect((await streamed(ask('Describe the sky'))).usage).toBeUndefined();
  });

  it('answers a non-streamed request with the same text', async () => {
    const body = (await (await chat(ask('Hello'))).json()) as Chunk;
    expect(body.choices?.[0]?.message?.content).toBe(stubAnswer('Hello', 0, 'stub-vision'));
  });

  it('streams a thinking model’s reasoning first, where the server sends it, and counts it', async () => {
    const { content, reasoning, usage } = await streamed({ ...ask('Why?'), model: 'stub-thinking', stream_options: { include_usage: true } });
    expect(content).toBe(stubAnswer('Why?', 0, 'stub-thinking'));
    expect(reasoning).toBe(dialect.id === 'openai' ? '' : stubReasoning('Why?'));
    expect(usage?.completion_tokens).toBeGreaterThan(content.split(' ').length + reasoning.split(' ').length - 2);
  });

  it('refuses in the refusal field (OpenAI) or in content (the others)', async () => {
    const { content, refusal } = await streamed(ask('Do it [refuse]'));
    expect(dialect.id === 'openai' ? refusal : content).toBe(REFUSAL);
  });

  it('answers a schema asked for in the prompt, and with json_object the same', async () => {
    const schema = { type: 'object', properties: { colour: { type: 'string' } }, required: ['colour'] };
    const prompt = `What colour?\n\nJSON schema of the answer:\n\`\`\`json\n${JSON.stringify(schema)}\n\`\`\``;
    expect(JSON.parse((await streamed(ask(prompt))).content)).toEqual(stubJson(schema, prompt, 0));
    const res = await chat({ ...ask(prompt), response_format: { type: 'json_object' } });
    if (dialect.chat?.responseFormat.json_object === 'rejected') expect(res.status).toBe(dialect.errors.badResponseFormat?.status);
    else expect(JSON.parse(((await res.json()) as Chunk).choices?.[0]?.message?.content as string)).toEqual(stubJson(schema, prompt, 0));
  });

  it('refuses json_schema on stub-vision-noschema; stub-vision-prose answers prose', async () => {
    const response_format = { type: 'json_schema', json_schema: { name: 'a', schema: { type: 'object', properties: {} } } };
    const refused = await chat({ ...ask('Shape?'), model: 'stub-vision-noschema', response_format });
    expect([refused.status, await refused.text()]).toEqual([dialect.errors.badResponseFormat?.status, dialect.errors.badResponseFormat?.body]);
    const prose = (await (await chat({ ...ask('Shape?'), model: 'stub-vision-prose', response_format })).json()) as Chunk;
    expect(prose.choices?.[0]?.message?.content).toBe(stubAnswer('Shape?', 0, 'stub-vision-prose'));
  });

  it('reads the same through the AI SDK', async () => {
    const model = createOpenAICompatible({ name: 'stub', baseURL: stub.url, apiKey: 'unused', includeUsage: true })('stub-thinking');
    const result = streamText({ model, prompt: 'Hi', maxRetries: 0 });
    expect(await result.text).toBe(stubAnswer('Hi', 0, 'stub-thinking'));
  });

  it('lists the stub models in its /v1/models shape', async () => {
    const list = (await (await fetch(`${stub.url}/models`)).json()) as { data: { id: string }[] };
    expect(list.data.map((m) => m.id)).toEqual(['stub-vision', 'stub-vision-2']);
  });
});

const MARKERS: [string, ErrorCase][] = [
  ['[fail:429]', 'rateLimited'],
  ['[fail:429:bare]', 'rateLimitedBare'],
  ['[fail:context]', 'contextLength'],
  ['[fail:413]', 'payloadTooLarge'],
  ['[fail:401]', 'unauthorized'],
  ['[fail:503]', 'unavailable'],
  ['[fail:500]', 'serverError'],
];

describe.each(chatDialects)('$id errors', (dialect: Dialect) => {
  beforeEach(() => stub.configure({ dialect: dialect.id }));

  it.each(MARKERS)('answers %s with its %s', async (marker, errorCase) => {
    const res = await chat(ask(`boom ${marker}`));
    const expected = dialect.errors[errorCase];
    if (!expected) return expect(res.status).toBe(200);
    expect(res.status).toBe(expected.status);
    expect(await res.text()).toBe(expected.body.replaceAll('{model}', 'stub-vision'));
    if (errorCase === 'rateLimited') expect(res.headers.get('retry-after')).toBe('0');
    if (errorCase === 'rateLimitedBare') expect(res.headers.get('retry-after')).toBeNull();
  });

  it('fails [fail:503x1] once, then answers', async () => {
    const first = await chat(ask('busy [fail:503x1]'));
    const second = await chat(ask('busy [fail:503x1]'));
    expect([first.status, second.status]).toEqual([dialect.errors.unavailable?.status ?? 200, 200]);
  });

  it('answers an unknown model with its modelNotFound, the name filled in', async () => {
    const res = await chat({ ...ask('hi'), model: 'qwen-9' });
    const expected = dialect.errors.modelNotFound;
    expect(res.status).toBe(expected?.status ?? 200);
    if (expected) expect(await res.text()).toBe(expected.body.replaceAll('{model}', 'qwen-9'));
  });
});

/** 0.3 s of a loud tone at 8 kHz, mono. */
function wav(): Uint8Array<ArrayBuffer> {
  const frames = 2400;
  const bytes = Buffer.alloc(44 + frames * 2);
  bytes.write('RIFFxxxxWAVEfmt ', 0);
  bytes.writeUInt32LE(16, 16);
  bytes.writeUInt16LE(1, 20);
  bytes.writeUInt16LE(1, 22);
  bytes.writeUInt32LE(8000, 24);
  bytes.writeUInt32LE(16000, 28);
  bytes.writeUInt16LE(2, 32);
  bytes.writeUInt16LE(16, 34);
  bytes.write('data', 36);
  bytes.writeUInt32LE(frames * 2, 40);
  for (let i = 0; i < frames; i++) bytes.writeInt16LE(Math.floor(i / 20) % 2 ? 32767 : -32767, 44 + 2 * i);
  return new Uint8Array(bytes);
}

function transcribe(fields: Record<string, string>) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([wav()], { type: 'audio/wav' }), 'audio.wav');
  return fetch(`${stub.url}/audio/transcriptions`, { method: 'POST', body: form });
}

const { duration, segments } = stubTranscript(decodeWav(wav())!);
const heard = { duration, language: 'en', segments, text: segments.map((s) => s.text).join(' ') };
const FORMATS: TranscriptionFormat[] = ['json', 'verbose_json', 'text', 'srt', 'vtt'];

describe.each(transcriptionDialects)('$id transcription', (dialect: Dialect) => {
  beforeEach(() => stub.configure({ transcriptionDialect: dialect.id }));

  it.each(FORMATS)('answers %s as the server does', async (format) => {
    const res = await transcribe({ model: 'stub-whisper', response_format: format });
    const expected = dialect.transcription?.answer(format, heard);
    if (!expected) return expect(res.status).toBe(dialect.errors.badResponseFormat?.status);
    expect(res.headers.get('content-type')).toBe(expected.contentType);
    expect(await res.text()).toBe(expected.body);
  });

  it('says "Stub words 1" in every JSON shape', async () => {
    const body = await (await transcribe({ model: 'stub-whisper', response_format: 'verbose_json' })).json();
    expect(body.text.trim()).toBe('Stub words 1');
    expect(body.segments.map((s: { text: string }) => s.text.trim())).toEqual(['Stub words 1']);
  });
});

describe('dialect selection', () => {
  it('sends a chat-only dialect’s transcriptions to OpenAI, or to the one configured', async () => {
    stub.configure({ dialect: 'ollama' });
    expect(await (await transcribe({ model: 'stub-whisper' })).json()).toEqual({ text: 'Stub words 1' });
    stub.configure({ transcriptionDialect: 'whispercpp' });
    expect(await (await transcribe({ model: 'stub-whisper' })).json()).toEqual({ text: ' Stub words 1\n' });
  });

  it('switches over /__config, refuses unknown dialects, and resets to the start options', async () => {
    const origin = new URL(stub.url).origin;
    const config = (json: object) => fetch(`${origin}/__config`, { method: 'POST', body: JSON.stringify(json) });
    expect((await config({ dialect: 'llamacpp' })).status).toBe(204);
    expect((await (await fetch(`${stub.url}/models`)).json()).data[0].owned_by).toBe('llamacpp');
    expect((await config({ dialect: 'tgi' })).status).toBe(400);
    stub.reset();
    expect((await (await fetch(`${stub.url}/models`)).json()).data[0].owned_by).toBe('system');
  });

  it('serves Ollama’s native /api/tags and /api/show for the ollama dialect', async () => {
    stub.configure({ dialect: 'ollama' });
    const origin = new URL(stub.url).origin;
    const tags = await (await fetch(`${origin}/api/tags`)).json();
    expect(tags.models.map((m: { name: string }) => m.name)).toEqual(['stub-vision', 'stub-vision-2']);
    const show = await (await fetch(`${origin}/api/show`, { method: 'POST', body: JSON.stringify({ model: 'stub-vision' }) })).json();
    expect(show.capabilities).toEqual(['completion', 'vision']);
  });
});

describe('sources', () => {
  const CHAT_SHAPES = ['chatStream', 'chatCompletion', 'usage', 'reasoning', 'refusal', 'responseFormat'];

  it.each(all)('$id says where each of its shapes came from', (dialect: Dialect) => {
    const shapes = ['errors', 'models', ...(dialect.chat ? CHAT_SHAPES : []), ...(dialect.transcription ? ['transcription'] : [])];
    for (const shape of shapes) expect(dialect.sources[shape]?.length ?? 0, `${dialect.id}.sources.${shape}`).toBeGreaterThan(20);
  });
});
