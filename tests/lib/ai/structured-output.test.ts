import { APICallError } from '@ai-sdk/provider';
import type { LanguageModelV4CallOptions } from '@ai-sdk/provider';
import { generateText, Output, simulateReadableStream, streamText, wrapLanguageModel } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { forgetStructuredModes, SCHEMA_HEADING, structuredModeOf, structuredOutputFallback } from '@/lib/ai/structured-output';

const schema = z.object({ label: z.string(), count: z.number() });
const usage = { inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 } };
const finish = { type: 'finish' as const, finishReason: { unified: 'stop' as const, raw: 'stop' }, usage };

/** A server that refuses the response_format types in `refuses` with LM Studio's words, and answers `answer` otherwise. */
function server(refuses: ('json_schema' | 'json_object')[], answer: string) {
  const seen: LanguageModelV4CallOptions[] = [];
  const check = (options: LanguageModelV4CallOptions) => {
    seen.push(options);
    const format = options.responseFormat;
    const type = format?.type === 'json' ? (format.schema ? 'json_schema' : 'json_object') : 'none';
    if ((refuses as string[]).includes(type)) {
      throw new APICallError({
        message: 'Bad Request',
        url: 'http://lmstudio:1234/v1/chat/completions',
        requestBodyValues: {},
        statusCode: 400,
        responseBody: JSON.stringify({ error: `'response_format.type' must be 'json_schema' or 'text'` }),
        isRetryable: false,
      });
    }
  };
  const model = new MockLanguageModelV4({
    doGenerate: async (options) => {
      check(options);
      return { content: [{ type: 'text', text: answer }], finishReason: { unified: 'stop', raw: 'stop' }, usage, warnings: [] };
    },
    doStream: async (options) => {
      check(options);
      const pieces = answer.match(/.{1,3}/gs) ?? [];
      return {
        stream: simulateReadableStream({
          chunks: [{ type: 'text-start' as const, id: '1' }, ...pieces.map((delta) => ({ type: 'text-delta' as const, id: '1', delta })), { type: 'text-end' as const, id: '1' }, finish],
        }),
      };
    },
  });
  return { model: (id: string) => wrapLanguageModel({ model, middleware: structuredOutputFallback(id) }), seen };
}

const promptOf = (options: LanguageModelV4CallOptions) => JSON.stringify(options.prompt);

beforeEach(() => forgetStructuredModes());

describe('structuredOutputFallback', () => {
  it('sends the schema as response_format first, and changes nothing for a server that takes it', async () => {
    const { model, seen } = server([], '{"label":"cat","count":2}');
    const { output } = await generateText({ model: model('m1'), prompt: 'Label it', output: Output.object({ schema }) });
    expect(output).toEqual({ label: 'cat', count: 2 });
    expect(seen).toHaveLength(1);
    expect(seen[0].responseFormat).toMatchObject({ type: 'json', schema: expect.objectContaining({ type: 'object' }) });
    expect(promptOf(seen[0])).not.toContain(SCHEMA_HEADING);
  });

  it('steps down to json_object with the schema in the prompt on a refusal, and remembers it for the model', async () => {
    const { model, seen } = server(['json_schema'], '{"label":"dog","count":1}');
    const first = await generateText({ model: model('m2'), prompt: 'Label it', output: Output.object({ schema }) });
    expect(first.output).toEqual({ label: 'dog', count: 1 });
    expect(seen.map((o) => (o.responseFormat?.type === 'json' ? (o.responseFormat.schema ? 'schema' : 'object') : 'none'))).toEqual(['schema', 'object']);
    expect(promptOf(seen[1])).toContain(SCHEMA_HEADING);
    expect(structuredModeOf('m2')).toBe('json_object');

    await generateText({ model: model('m2'), prompt: 'Again', output: Output.object({ schema }) });
    expect(seen).toHaveLength(3);
    expect(seen[2].responseFormat).toEqual({ type: 'json' });
    // Another model on the same server is asked afresh.
    expect(structuredModeOf('m3')).toBe('json_schema');
  });

  it('falls back to the schema in the prompt alone, and reads a fenced answer while streaming', async () => {
    const { model, seen } = server(['json_schema', 'json_object'], '```json\n{"label":"fish","count":3}\n```');
    const result = streamText({ model: model('m4'), prompt: 'Label it', output: Output.object({ schema }) });
    expect(await result.output).toEqual({ label: 'fish', count: 3 });
    expect(seen).toHaveLength(3);
    expect(seen[2].responseFormat).toBeUndefined();
    expect(structuredModeOf('m4')).toBe('prompt');
  });

  it('passes a call without a schema untouched, and rethrows errors that are not about the format', async () => {
    const { model, seen } = server(['json_schema'], 'plain words');
    expect((await generateText({ model: model('m5'), prompt: 'Hi' })).text).toBe('plain words');
    expect(seen[0].responseFormat).toBeUndefined();

    const broken = new MockLanguageModelV4({
      doGenerate: async () => {
        throw new APICallError({ message: 'boom', url: 'http://x', requestBodyValues: {}, statusCode: 500, responseBody: '{"error":"out of memory"}', isRetryable: true });
      },
    });
    const wrapped = wrapLanguageModel({ model: broken, middleware: structuredOutputFallback('m6') });
    await expect(generateText({ model: wrapped, prompt: 'x', output: Output.object({ schema }), maxRetries: 0 })).rejects.toThrow(/boom/);
    expect(structuredModeOf('m6')).toBe('json_schema');
  });
});
