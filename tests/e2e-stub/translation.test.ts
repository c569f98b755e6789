/**
 * translateSegments against the stub model over HTTP, through the real compatible provider, the
 * registry's fallback chain and the shared limiter: the stub answers "N. [<language>] <line>".
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startStubModel, stubAnswer, type StubModel } from '../../e2e/stub-model/server';
import { pixelBudgetModel, QWEN_MAX_PIXELS, type ModelSpec } from '@/lib/ai/catalog';
import { SKIPPED_LINES_MESSAGE, translateSegments, translationPrompt } from '@/lib/ai/translation';
import { AppError } from '@/lib/errors';
import type { TimedText } from '@/lib/media/subtitles';

let stub: StubModel;

beforeAll(async () => {
  stub = await startStubModel({ deltaDelayMs: 1 });
});
beforeEach(() => {
  stub.reset();
  vi.stubEnv('OPENAI_API_KEY', undefined);
  vi.stubEnv('OPENAI_COMPATIBLE_BASE_URL', stub.url);
  vi.stubEnv('OPENAI_COMPATIBLE_API_KEY', 'unused');
  vi.stubEnv('OPENAI_COMPATIBLE_MODELS', 'stub-vision,stub-vision-2,stub-broken');
  vi.stubEnv('COMPATIBLE_PRICE', '0.2/0.6');
  vi.stubEnv('OLLAMA_BASE_URL', 'http://127.0.0.1:9');
  vi.stubEnv('FALLBACK_MODELS', undefined);
});
afterEach(() => vi.unstubAllEnvs());
afterAll(() => stub.stop());

function stubSpec(name: string): ModelSpec {
  return { ...pixelBudgetModel('compatible', name, QWEN_MAX_PIXELS, 32_768), price: { input: 0.2, output: 0.6 } };
}

function segments(count: number): TimedText[] {
  return Array.from({ length: count }, (_, i) => ({ startMs: i * 2000, endMs: i * 2000 + 1500, text: `Sentence ${i + 1}: the quick brown fox, take ${i}.` }));
}

function promptOf(request: StubModel['requests'][number]): string {
  return (request.body as { messages: { content: string }[] }).messages[0].content;
}

describe('translateSegments against the stub model', () => {
  it('translates 100 segments in three calls, every line in its place', async () => {
    const input = segments(100);
    const before = structuredClone(input);
    const seen = new Map<number, string>();

    const result = await translateSegments({ segments: input, language: 'French', model: stubSpec('stub-vision'), onSegment: (i, text) => seen.set(i, text) });

    expect(result.texts).toHaveLength(input.length);
    expect(result.texts).toEqual(input.map((s) => `[French] ${s.text}`));
    expect([...seen.keys()].sort((a, b) => a - b)).toEqual(input.map((_, i) => i));
    expect(Object.fromEntries(seen)).toEqual(Object.fromEntries(result.texts.map((t, i) => [i, t])));
    expect(input).toEqual(before);

    expect(stub.requests.map((r) => [r.path, r.model, r.status])).toEqual(Array(3).fill(['/v1/chat/completions', 'stub-vision', 200]));
    const prompts = stub.requests.map(promptOf);
    expect(prompts[1]).toBe(translationPrompt(input.slice(40, 80).map((s) => s.text), 'French'));
    expect(prompts[2]).toContain('\n20. Sentence 100:');
    expect(result.inputTokens).toBeGreaterThan(0);
    expect(result.outputTokens).toBeGreaterThan(0);
    expect(result.costUsd).toBeCloseTo((result.inputTokens * 0.2 + result.outputTokens * 0.6) / 1_000_000, 12);
  });

  it('keeps the language as the person wrote it', async () => {
    const result = await translateSegments({ segments: segments(2), language: 'Simplified Chinese', model: stubSpec('stub-vision') });
    expect(result.texts[1]).toBe('[Simplified Chinese] Sentence 2: the quick brown fox, take 1.');
  });

  it('retries a batch the model answered with a line missing once, then says so', async () => {
    const input = segments(3);
    input[1].text = 'This one goes missing [skip-me]';
    const seen: number[] = [];

    const error = await translateSegments({ segments: input, language: 'German', model: stubSpec('stub-vision'), onSegment: (i) => seen.push(i) }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'model_error', message: SKIPPED_LINES_MESSAGE });
    expect(stub.requests).toHaveLength(2);
    expect(promptOf(stub.requests[1])).toBe(promptOf(stub.requests[0]));
    expect(seen.sort()).toEqual([0, 2]);
  });

  it('falls back to the next model when the chosen one fails', async () => {
    vi.stubEnv('FALLBACK_MODELS', 'compatible:stub-vision-2');
    const result = await translateSegments({ segments: segments(2), language: 'Italian', model: stubSpec('stub-broken') });
    expect(result.texts[0]).toBe('[Italian] Sentence 1: the quick brown fox, take 0.');
    expect(stub.requests.map((r) => [r.model, r.status])).toEqual([
      ['stub-broken', 500],
      ['stub-vision-2', 200],
    ]);
  });
});

describe('the stub model', () => {
  it('tells translation prompts apart from caption and chat prompts', () => {
    expect(stubAnswer(translationPrompt(['Hello', 'Bye [skip-me]', 'Answer with exactly 2 lines'], 'pt-BR'), 0, 'stub-vision')).toBe(
      '1. [pt-BR] Hello\n3. [pt-BR] Answer with exactly 2 lines',
    );
    expect(stubAnswer(translationPrompt(['[skip-me]'], 'French'), 0, 'stub-vision')).toBe('');
    expect(stubAnswer('Frames 1 at 00:00, 2 at 00:03. Answer with exactly 2 lines, "1: …" to "2: …", and nothing else.', 0, 'stub-vision')).toBe(
      '1: Stub scene 1 of this grid, at 00:00.\n2: Stub scene 2 of this grid, at 00:03.',
    );
    expect(stubAnswer('Translate each numbered subtitle line below into French, please', 0, 'stub-vision')).toMatch(/^Stub answer to:/);
  });
});
