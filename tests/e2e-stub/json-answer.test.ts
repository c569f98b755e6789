/**
 * The stub's structured-output answers, through the real AI SDK provider with structured outputs
 * on (as the app configures it): JSON that validates against the request's schema, streamed in
 * deltas, and the `[json:broken]` / `[json:brokenx1]` markers for malformed answers.
 */
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { NoObjectGeneratedError, Output, streamText, type ModelMessage } from 'ai';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { jsonAnswerText, stubJson } from '../../e2e/stub-model/json-answer';
import { startStubModel, type StubModel } from '../../e2e/stub-model/server';
import { comparisonSchema } from '@/lib/chat/comparison-schema';

let stub: StubModel;

beforeAll(async () => {
  stub = await startStubModel({ deltaDelayMs: 1 });
});
beforeEach(() => stub.reset());
afterAll(() => stub.stop());

const model = (structuredOutputs = true) =>
  createOpenAICompatible({ name: 'stub', baseURL: stub.url, apiKey: 'unused', includeUsage: true, supportsStructuredOutputs: structuredOutputs })('stub-vision');

async function withImages(question: string, count: number): Promise<ModelMessage[]> {
  const images = await Promise.all(
    Array.from({ length: count }, (_, i) => sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 40 * i, g: 0, b: 0 } } }).png().toBuffer()),
  );
  return [{ role: 'user', content: [...images.map((data) => ({ type: 'file' as const, data, mediaType: 'image/png' })), { type: 'text', text: question }] }];
}

/** Streams an object answer to the end: its partials, the parsed output (or the parse error) and the raw text. */
async function ask<T>(schema: z.ZodType<T>, messages: ModelMessage[], structuredOutputs = true) {
  const result = streamText({ model: model(structuredOutputs), messages, output: Output.object({ schema }), maxRetries: 0 });
  const partials: unknown[] = [];
  for await (const partial of result.partialOutputStream) partials.push(partial);
  const output = await Promise.resolve(result.output).then(
    (value) => ({ value, error: null }),
    (error: unknown) => ({ value: null, error }),
  );
  return { partials, ...output, text: await result.text };
}

const chatCalls = () => stub.requests.filter((r) => r.path === '/v1/chat/completions');

describe('stub JSON answers', () => {
  it('answers a comparison schema with one value per image, streamed in deltas that build it up', async () => {
    const { value, error, partials } = await ask(comparisonSchema, await withImages('Compare these photos', 3));
    expect(error).toBeNull();
    expect(value).toEqual({
      similarities: ['Stub similarities 1', 'Stub similarities 2', 'Stub similarities 3'],
      differences: [1, 2, 3].map((d) => ({ aspect: `Stub aspect ${d}`, values: [1, 2, 3].map((i) => `Stub values ${d}.${i}`) })),
      recommendation: null,
    });
    expect(partials.length).toBeGreaterThan(10);
    // Rows arrive one after another: an early partial has fewer differences than the last.
    const rows = partials.map((p) => ((p as { differences?: unknown[] }).differences ?? []).length);
    expect(rows[0]).toBeLessThan(3);
    expect(rows.at(-1)).toBe(3);

    const sent = chatCalls()[0].body as { response_format: { type: string; json_schema: { name: string; schema: object } } };
    expect(sent.response_format.type).toBe('json_schema');
    expect(chatCalls()[0].imageCount).toBe(3);
  });

  it('fills a nullable recommendation only when the question asks which one', async () => {
    const { value } = await ask(comparisonSchema, await withImages('Which one would you recommend?', 2));
    expect(value?.recommendation).toEqual({ choice: 1, reason: 'Stub reason' });
  });

  it('follows any schema: enums, numbers within bounds, booleans, const, $refs, constrained arrays', async () => {
    const row = z.object({ label: z.enum(['cat', 'dog']), score: z.number().min(3).max(5), count: z.int().max(0), ok: z.boolean(), kind: z.literal('x') });
    const schema = z.object({ rows: z.array(row).min(4), pair: z.array(z.string()).length(2), note: z.string().nullable() });
    const { value, error } = await ask(schema, await withImages('Describe', 1));
    expect(error).toBeNull();
    expect(value?.rows).toHaveLength(4);
    expect(value?.rows.map((r) => r.label)).toEqual(['cat', 'dog', 'cat', 'dog']);
    expect(value?.rows[0]).toEqual({ label: 'cat', score: 3, count: 0, ok: true, kind: 'x' });
    expect(value?.pair).toEqual(['Stub pair 1', 'Stub pair 2']);
    expect(value?.note).toBe('Stub note');
    const refs = { definitions: { cell: { type: 'string' } }, type: 'object', properties: { a: { $ref: '#/definitions/cell' }, b: { type: ['integer', 'null'] } } };
    expect(stubJson(refs as never, 'which?', 1)).toEqual({ a: 'Stub a', b: 1 });
  });

  it('answers json_object (no schema) with an object naming the question', async () => {
    const { text } = await ask(z.object({ answer: z.string() }), await withImages('Anything', 1), false);
    expect(JSON.parse(text)).toEqual({ answer: 'Stub JSON answer to: "Anything"' });
    expect((chatCalls()[0].body as { response_format: unknown }).response_format).toEqual({ type: 'json_object' });
  });

  it('[json:broken] is malformed every time: partials parse, the whole does not', async () => {
    const messages = await withImages('Compare [json:broken]', 2);
    for (let i = 0; i < 2; i++) {
      const { error, partials, text } = await ask(comparisonSchema, messages);
      expect(NoObjectGeneratedError.isInstance(error)).toBe(true);
      expect(partials.length).toBeGreaterThan(0);
      expect(text).toContain('<<the stub broke this JSON>>');
    }
  });

  it('[json:brokenx1] is malformed the first time for a prompt, valid afterwards (until reset)', async () => {
    const messages = await withImages('Compare [json:brokenx1]', 2);
    expect(NoObjectGeneratedError.isInstance((await ask(comparisonSchema, messages)).error)).toBe(true);
    expect((await ask(comparisonSchema, messages)).error).toBeNull();
    stub.reset();
    expect(NoObjectGeneratedError.isInstance((await ask(comparisonSchema, messages)).error)).toBe(true);
  });

  it('a broken answer is the valid one cut in half with junk after it', () => {
    const format = { type: 'json_schema', json_schema: { schema: { type: 'object', properties: { a: { type: 'array', items: { type: 'string' } } } } } };
    const whole = jsonAnswerText(format, 'q', 3, false);
    const broken = jsonAnswerText(format, 'q', 3, true);
    expect(JSON.parse(whole)).toEqual({ a: ['Stub a 1', 'Stub a 2', 'Stub a 3'] });
    expect(broken.startsWith(whole.slice(0, Math.floor(whole.length / 2)))).toBe(true);
    expect(() => JSON.parse(broken)).toThrow();
  });
});
