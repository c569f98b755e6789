import { APICallError } from '@ai-sdk/provider';
import { simulateReadableStream, streamText } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { withFallback } from '@/lib/ai/fallback';
import { landscapeJpeg } from '@/tests/support/images';

function answering(text: string) {
  return new MockLanguageModelV4({
    doStream: async () => ({
      stream: simulateReadableStream({
        chunks: [
          { type: 'text-start' as const, id: '1' },
          { type: 'text-delta' as const, id: '1', delta: text },
          { type: 'text-end' as const, id: '1' },
          {
            type: 'finish' as const,
            finishReason: { unified: 'stop' as const, raw: 'stop' },
            usage: { inputTokens: { total: 3, noCache: 3, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 } },
          },
        ],
      }),
    }),
  });
}

function failing(statusCode: number, headers: Record<string, string> = {}) {
  let calls = 0;
  const model = new MockLanguageModelV4({
    doStream: async () => {
      calls++;
      throw new APICallError({ message: `HTTP ${statusCode}`, url: 'http://model', requestBodyValues: {}, statusCode, responseHeaders: headers, isRetryable: statusCode === 429 });
    },
  });
  return { model, calls: () => calls };
}

async function textOf(model: ReturnType<typeof withFallback>) {
  const result = streamText({ model, prompt: 'hi', maxRetries: 0 });
  return result.text;
}

describe('withFallback', () => {
  it('uses the first model when it works and says so', async () => {
    const chosen: string[] = [];
    const text = await textOf(withFallback([{ id: 'a', model: answering('from a') }, { id: 'b', model: answering('from b') }], { onChosen: (id) => chosen.push(id) }));
    expect(text).toBe('from a');
    expect(chosen).toEqual(['a']);
  });

  it('moves to the next model when one fails before streaming', async () => {
    const broken = failing(500);
    const chosen: string[] = [];
    const text = await textOf(withFallback([{ id: 'a', model: broken.model }, { id: 'b', model: answering('from b') }], { onChosen: (id) => chosen.push(id) }));
    expect(text).toBe('from b');
    expect(broken.calls()).toBe(1);
    expect(chosen).toEqual(['b']);
  });

  it('retries a rate-limited model with backoff before falling back', async () => {
    const limited = failing(429, { 'retry-after': '0' });
    const text = await textOf(withFallback([{ id: 'a', model: limited.model }, { id: 'b', model: answering('from b') }], { rateLimitAttempts: 3, baseDelayMs: 1 }));
    expect(limited.calls()).toBe(3);
    expect(text).toBe('from b');
  });

  it('recovers on the same model when a 429 clears', async () => {
    let calls = 0;
    const ok = answering('finally');
    const flaky = new MockLanguageModelV4({
      doStream: async (options) => {
        if (++calls < 3) throw new APICallError({ message: 'slow down', url: 'x', requestBodyValues: {}, statusCode: 429, isRetryable: true });
        return ok.doStream(options);
      },
    });
    expect(await textOf(withFallback([{ id: 'a', model: flaky }], { baseDelayMs: 1 }))).toBe('finally');
    expect(calls).toBe(3);
  });

  it('surfaces the last error when every model fails', async () => {
    const a = failing(500);
    const b = failing(503);
    const result = streamText({ model: withFallback([{ id: 'a', model: a.model }, { id: 'b', model: b.model }]), prompt: 'hi', maxRetries: 0, onError: () => {} });
    const errors: unknown[] = [];
    for await (const part of result.stream) if (part.type === 'error') errors.push(part.error);
    expect(errors).toHaveLength(1);
    expect(APICallError.isInstance(errors[0]) && errors[0].statusCode).toBe(503);
  });

  it('waits exponentially longer between 429 retries when the server gives no Retry-After', async () => {
    const limited = failing(429);
    const started = performance.now();
    await textOf(withFallback([{ id: 'a', model: limited.model }, { id: 'b', model: answering('from b') }], { rateLimitAttempts: 3, baseDelayMs: 40 }));
    expect(limited.calls()).toBe(3);
    expect(performance.now() - started).toBeGreaterThanOrEqual(40 + 80 - 5);
  });

  it('caps a long Retry-After at its own longest backoff', async () => {
    const limited = failing(429, { 'retry-after': '3600' });
    const started = performance.now();
    await textOf(withFallback([{ id: 'a', model: limited.model }, { id: 'b', model: answering('from b') }], { rateLimitAttempts: 2, maxDelayMs: 50 }));
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('retries a request refused as too large once on the same model, with its images at half the pixels', async () => {
    const seen: { width: number; height: number }[] = [];
    let calls = 0;
    const picky = new MockLanguageModelV4({
      doStream: async (options) => {
        calls++;
        const image = options.prompt.flatMap((m) => (m.role === 'user' ? m.content : [])).find((p) => p.type === 'file');
        const bytes = image?.type === 'file' && image.data.type === 'data' ? image.data.data : null;
        const { width = 0, height = 0 } = await sharp(bytes as Uint8Array).metadata();
        seen.push({ width, height });
        if (width > 1200) throw new APICallError({ message: 'too large', url: 'http://model', requestBodyValues: {}, statusCode: 413, responseBody: '<html><title>413 Request Entity Too Large</title></html>', isRetryable: false });
        return answering('smaller worked').doStream(options);
      },
    });
    const photo = await landscapeJpeg(1600, 1067);
    const result = streamText({ model: withFallback([{ id: 'a', model: picky }]), messages: [{ role: 'user', content: [{ type: 'image', image: photo, mediaType: 'image/jpeg' }, { type: 'text', text: 'what is it?' }] }], maxRetries: 0 });
    expect(await result.text).toBe('smaller worked');
    expect(calls).toBe(2);
    expect(seen).toEqual([{ width: 1600, height: 1067 }, { width: Math.round(1600 * Math.SQRT1_2), height: Math.round(1067 * Math.SQRT1_2) }]);
  });

  it('does not try the next model with a request no model can take (a context overflow), but does for an unknown model', async () => {
    const overflowing = new MockLanguageModelV4({
      doStream: async () => {
        throw new APICallError({ message: 'ctx', url: 'http://model', requestBodyValues: {}, statusCode: 400, responseBody: '{"error":{"message":"maximum context length is 4096 tokens"}}', isRetryable: false });
      },
    });
    const b = answering('from b');
    let bCalls = 0;
    const counted = new MockLanguageModelV4({ doStream: async (o) => (bCalls++, b.doStream(o)) });
    const result = streamText({ model: withFallback([{ id: 'a', model: overflowing }, { id: 'b', model: counted }]), prompt: 'hi', maxRetries: 0, onError: () => {} });
    const errors: unknown[] = [];
    for await (const part of result.stream) if (part.type === 'error') errors.push(part.error);
    expect(errors).toHaveLength(1);
    expect(bCalls).toBe(0);

    const unknown = failing(404);
    expect(await textOf(withFallback([{ id: 'a', model: unknown.model }, { id: 'b', model: answering('from b') }]))).toBe('from b');
  });
});
