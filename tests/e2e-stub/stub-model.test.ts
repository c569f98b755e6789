/**
 * Drives the stub through the real AI SDK provider the app uses, so a passing e2e run means the
 * stub speaks the same wire format the app will meet in production.
 */
import { spawn } from 'node:child_process';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { APICallError, generateText, RetryError, streamText, type ModelMessage } from 'ai';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { splitDeltas, startStubModel, stubAnswer, type StubModel } from '../../e2e/stub-model/server';

let stub: StubModel;

beforeAll(async () => {
  stub = await startStubModel({ deltaDelayMs: 1 });
});
beforeEach(() => stub.reset());
afterAll(() => stub.stop());

function model(id = 'stub-vision') {
  return createOpenAICompatible({ name: 'stub', baseURL: stub.url, apiKey: 'unused', includeUsage: true })(id);
}

type StreamOptions = Parameters<typeof streamText>[0];

/**
 * Streams to the end and returns what a caller would see. API errors arrive as error parts,
 * while a dropped connection is thrown; either way the first one is returned.
 * Retries are off unless a test asks, so every stub request is one the test expects.
 */
async function run(options: Partial<StreamOptions>) {
  // The SDK logs every error part by default; these tests expect errors and assert on them instead.
  const result = streamText({ model: model(), maxRetries: 0, onError: () => {}, ...options } as StreamOptions);
  const deltas: string[] = [];
  let error: unknown;
  try {
    for await (const part of result.stream) {
      if (part.type === 'text-delta') deltas.push(part.text);
      if (part.type === 'error') error ??= part.error;
    }
  } catch (thrown) {
    error ??= thrown;
  }
  return { result, deltas, text: deltas.join(''), error };
}

describe('stub model through the AI SDK', () => {
  it('streams the deterministic answer in several deltas and reports usage', async () => {
    const { result, deltas, text, error } = await run({ prompt: 'Describe the sky' });

    expect(error).toBeUndefined();
    expect(deltas.length).toBeGreaterThan(20);
    expect(text.split('\n')[0]).toBe('Stub answer to: "Describe the sky" (images: 0, model: stub-vision)');
    expect(text).toContain('\n- This reply is streamed word by word.');
    expect(text).toContain('| model | stub-vision |');
    expect(text).toContain("```ts\nconst stub = { model: 'stub-vision', images: 0 };\n```");
    expect(text).toBe(stubAnswer('Describe the sky', 0, 'stub-vision'));

    const usage = await result.usage;
    // 10 + floor(16 chars / 4); one completion token per delta.
    expect(usage.inputTokens).toBe(14);
    expect(usage.outputTokens).toBe(deltas.length);
    expect(await result.finishReason).toBe('stop');

    expect(stub.requests).toHaveLength(1);
    expect(stub.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      model: 'stub-vision',
      status: 200,
      clientAborted: false,
      body: { stream: true, stream_options: { include_usage: true } },
    });
  });

  it('answers non-streaming requests with the same text', async () => {
    const result = await generateText({ model: model('stub-vision-2'), prompt: 'Hello', maxRetries: 0 });
    expect(result.text).toBe(stubAnswer('Hello', 0, 'stub-vision-2'));
    expect(result.usage.inputTokens).toBe(11);
    expect(stub.requests[0].body).not.toHaveProperty('stream', true);
  });

  it('counts images and records their format, size and EXIF', async () => {
    const pixels = { create: { width: 1024, height: 768, channels: 3 as const, background: '#3366cc' } };
    const jpegWithExif = await sharp(pixels).jpeg().withExif({ IFD0: { Copyright: 'stub test' } }).toBuffer();
    const jpegPlain = await sharp(pixels).resize(300, 200).jpeg().toBuffer();
    const png = await sharp({ create: { width: 64, height: 48, channels: 4, background: '#ff000080' } }).png().toBuffer();
    const messages: ModelMessage[] = [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'file', data: jpegWithExif, mediaType: 'image/jpeg' },
          { type: 'file', data: jpegPlain, mediaType: 'image/jpeg' },
          { type: 'file', data: png, mediaType: 'image/png' },
        ],
      },
    ];

    const { result, text } = await run({ messages });

    expect(text.split('\n')[0]).toBe('Stub answer to: "What is this?" (images: 3, model: stub-vision)');
    expect((await result.usage).inputTokens).toBe(10 + 3 + 85 * 3);
    expect(stub.requests[0].imageCount).toBe(3);
    expect(stub.requests[0].images).toEqual([
      { mediaType: 'image/jpeg', bytes: jpegWithExif.length, width: 1024, height: 768, hasExif: true },
      { mediaType: 'image/jpeg', bytes: jpegPlain.length, width: 300, height: 200, hasExif: false },
      { mediaType: 'image/png', bytes: png.length, width: 64, height: 48, hasExif: false, colour: 'red' },
    ]);
  });

  it('surfaces [fail:500] as an APICallError with status 500', async () => {
    const { text, error } = await run({ prompt: 'boom [fail:500]' });

    expect(text).toBe('');
    expect(APICallError.isInstance(error)).toBe(true);
    expect((error as APICallError).statusCode).toBe(500);
    expect(stub.requests.map((r) => r.status)).toEqual([500]);
  });

  it('always fails the stub-broken model and rejects unknown models', async () => {
    const broken = await run({ model: model('stub-broken'), prompt: 'hi' });
    const unknown = await run({ model: model('compatible:stub-vision'), prompt: 'hi' });

    expect((broken.error as APICallError).statusCode).toBe(500);
    expect((unknown.error as APICallError).statusCode).toBe(404);
  });

  it('fails [fail:429x2] twice, then succeeds when the SDK retries twice', async () => {
    const { text, error } = await run({ prompt: 'busy [fail:429x2]', maxRetries: 2 });

    expect(error).toBeUndefined();
    expect(text).toBe(stubAnswer('busy [fail:429x2]', 0, 'stub-vision'));
    expect(stub.requests.map((r) => r.status)).toEqual([429, 429, 200]);
  });

  it('gives up on [fail:429x2] when only one retry is allowed', async () => {
    const { error } = await run({ prompt: 'busy [fail:429x2]', maxRetries: 1 });

    expect(RetryError.isInstance(error)).toBe(true);
    expect(((error as RetryError).lastError as APICallError).statusCode).toBe(429);
    expect(stub.requests.map((r) => r.status)).toEqual([429, 429]);
  });

  it('keeps failing plain [fail:429] and sends retry-after: 0', async () => {
    const { error } = await run({ prompt: 'busy [fail:429]', maxRetries: 2 });

    const last = (error as RetryError).lastError as APICallError;
    expect(last.statusCode).toBe(429);
    expect(last.responseHeaders?.['retry-after']).toBe('0');
    expect(stub.requests).toHaveLength(3);
  });

  it('drops the connection after a few deltas on [fail:midstream]', async () => {
    const prompt = 'cut [fail:midstream]';
    const { deltas, text, error } = await run({ prompt });

    expect(deltas).toHaveLength(3);
    expect(stubAnswer(prompt, 0, 'stub-vision').startsWith(text)).toBe(true);
    expect(error).toBeDefined();
    expect(stub.requests[0].clientAborted).toBe(false);
  });

  it('streams [slow] slowly enough to abort, and notices the caller hanging up', async () => {
    const controller = new AbortController();
    const result = streamText({ model: model(), prompt: 'take your time [slow]', maxRetries: 0, abortSignal: controller.signal });
    const arrivals: number[] = [];
    for await (const _delta of result.textStream) {
      arrivals.push(performance.now());
      if (arrivals.length === 3) break;
    }
    controller.abort();

    expect(arrivals[2] - arrivals[0]).toBeGreaterThanOrEqual(280);
    // At 150 ms per delta, 40+ deltas keep the answer streaming for several seconds.
    expect(splitDeltas(stubAnswer('take your time [slow]', 0, 'stub-vision')).length).toBeGreaterThanOrEqual(40);
    await expect.poll(() => stub.requests[0].clientAborted, { timeout: 2000 }).toBe(true);
  });
});

describe('control endpoints', () => {
  it('lists recorded requests over HTTP and resets them, including retry budgets', async () => {
    const origin = new URL(stub.url).origin;
    const prompt = 'once [fail:429x1]';
    await run({ prompt, maxRetries: 1 });

    const listed = await (await fetch(`${origin}/__requests`)).json();
    expect(listed.map((r: { status: number }) => r.status)).toEqual([429, 200]);
    expect(listed[1].body.messages).toEqual([{ role: 'user', content: prompt }]);
    expect(Date.parse(listed[0].receivedAt)).toBeGreaterThan(0);

    expect((await fetch(`${origin}/__reset`, { method: 'POST' })).status).toBe(204);
    expect(await (await fetch(`${origin}/__requests`)).json()).toEqual([]);
    expect(stub.requests).toEqual([]);

    await run({ prompt, maxRetries: 1 });
    expect(stub.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('serves the model list', async () => {
    const models = await (await fetch(`${stub.url}/models`)).json();
    expect(models.data.map((m: { id: string }) => m.id)).toEqual(['stub-vision', 'stub-vision-2']);
  });
});

describe('CLI', () => {
  it('prints the base URL once it is listening', async () => {
    const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'e2e/stub-model/server.ts', '--port', '0'], {
      cwd: new URL('../..', import.meta.url).pathname,
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk) => {
          out += chunk;
          if (out.includes('\n')) resolve(out.split('\n')[0]);
        });
        child.once('exit', (code) => reject(new Error(`CLI exited with ${code}: ${out}`)));
      });
      expect(line).toMatch(/^stub model listening on http:\/\/127\.0\.0\.1:\d+\/v1$/);
      const models = await (await fetch(`${line.split(' ').at(-1)}/models`)).json();
      expect(models.object).toBe('list');
    } finally {
      child.kill();
    }
  }, 20_000);
});
