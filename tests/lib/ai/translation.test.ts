/**
 * translateSegments with AI SDK mock models passed through its `languageModelFor` seam: the real
 * streamText, withFallback and limiter run; only the provider is replaced.
 */
import { APICallError, type LanguageModelV4CallOptions, type LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { MockLanguageModelV4 } from 'ai/test';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pixelBudgetModel, QWEN_MAX_PIXELS, type ModelSpec } from '@/lib/ai/catalog';
import {
  createLineParser,
  MAX_BATCH_CHARS,
  parseNumberedLine,
  SKIPPED_LINES_MESSAGE,
  TRANSLATION_LINES_HEADING,
  TRANSLATION_PHRASE,
  translateSegments,
  translationBatches,
  translationPrompt,
} from '@/lib/ai/translation';
import { resetModelLimiters } from '@/lib/ai/limiter';
import { AppError } from '@/lib/errors';
import type { TimedText } from '@/lib/media/subtitles';

const spec: ModelSpec = { ...pixelBudgetModel('compatible', 'mock-translator', QWEN_MAX_PIXELS, 32_768), price: { input: 1, output: 2 } };

beforeEach(() => {
  // modelChain reads the registry: no real provider, no Ollama probe that waits, no fallbacks.
  vi.stubEnv('OPENAI_API_KEY', undefined);
  vi.stubEnv('OPENAI_COMPATIBLE_BASE_URL', undefined);
  vi.stubEnv('OLLAMA_BASE_URL', 'http://127.0.0.1:9');
  vi.stubEnv('FALLBACK_MODELS', undefined);
  // These tests watch how batches overlap, not how a provider's rate is paced (tests/lib/ai/limiter.test.ts does).
  vi.stubEnv('MODEL_REQUESTS_PER_MINUTE', '100000');
  resetModelLimiters();
});
afterEach(() => {
  vi.unstubAllEnvs();
  resetModelLimiters();
});

function segments(count: number, text = (i: number) => `Line number ${i}`): TimedText[] {
  return Array.from({ length: count }, (_, i) => ({ startMs: i * 1000, endMs: i * 1000 + 900, text: text(i) }));
}

function promptText(options: LanguageModelV4CallOptions): string {
  return options.prompt
    .filter((m) => m.role === 'user')
    .flatMap((m) => m.content)
    .map((p) => (p.type === 'text' ? p.text : ''))
    .join('\n');
}

/** The numbered lines a prompt asks to translate. */
function promptLines(prompt: string): string[] {
  const body = prompt.slice(prompt.indexOf(TRANSLATION_LINES_HEADING));
  return [...body.matchAll(/^\d+\. (.*)$/gm)].map((m) => m[1]);
}

const FINISH: LanguageModelV4StreamPart = {
  type: 'finish',
  finishReason: { unified: 'stop', raw: 'stop' },
  usage: { inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 5, text: 5, reasoning: 0 } },
};

/** A stream the test writes into piece by piece, so it can look at what arrived before the end. */
function controlledStream(signal?: AbortSignal) {
  let controller!: ReadableStreamDefaultController<LanguageModelV4StreamPart>;
  const stream = new ReadableStream<LanguageModelV4StreamPart>({ start: (c) => void (controller = c) });
  controller.enqueue({ type: 'stream-start', warnings: [] });
  controller.enqueue({ type: 'text-start', id: 't' });
  signal?.addEventListener('abort', () => controller.error(signal.reason), { once: true });
  return {
    stream,
    write: (delta: string) => controller.enqueue({ type: 'text-delta', id: 't', delta }),
    finish() {
      controller.enqueue({ type: 'text-end', id: 't' });
      controller.enqueue(FINISH);
      controller.close();
    },
  };
}

/**
 * A model answering each call with `answer(lines, callNumber)`, sent in pieces of `pieceSize`
 * characters (so numbers and lines are split across deltas), a little apart.
 */
function scriptedModel(answer: (lines: string[], call: number, prompt: string) => string, pieceSize = 7, pauseMs = 0) {
  const calls: string[] = [];
  let active = 0;
  let maxActive = 0;
  const model = new MockLanguageModelV4({
    doStream: async (options) => {
      const prompt = promptText(options);
      calls.push(prompt);
      const text = answer(promptLines(prompt), calls.length, prompt);
      const pieces = text.match(new RegExp(`[^]{1,${pieceSize}}`, 'g')) ?? [];
      const { stream, write, finish } = controlledStream(options.abortSignal);
      active++;
      maxActive = Math.max(maxActive, active);
      void (async () => {
        for (const piece of pieces) {
          if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
          if (options.abortSignal?.aborted) return;
          write(piece);
        }
        active--;
        finish();
      })();
      return { stream };
    },
  });
  return { model, calls, maxActive: () => maxActive };
}

const tagAll = (tag: string) => (lines: string[]) => lines.map((line, i) => `${i + 1}. [${tag}] ${line}`).join('\n');

function recorder() {
  const seen: [number, string][] = [];
  return { seen, onSegment: (index: number, text: string) => void seen.push([index, text]) };
}

describe('parseNumberedLine', () => {
  it('reads "N. ", "N) " and "N: " lines and trims them', () => {
    expect(parseNumberedLine('1. Bonjour')).toEqual({ number: 1, text: 'Bonjour' });
    expect(parseNumberedLine('  12) Salut tout le monde  ')).toEqual({ number: 12, text: 'Salut tout le monde' });
    expect(parseNumberedLine('3: Au revoir\r')).toEqual({ number: 3, text: 'Au revoir' });
    expect(parseNumberedLine('4 . 2024 fut une année')).toEqual({ number: 4, text: '2024 fut une année' });
  });

  it('ignores prose, fences, decimals and empty translations', () => {
    for (const junk of ['Here is the translation:', '```', '```text', '', '3.5 kg of flour', '5.', '6)   ', '- 1. bullet']) {
      expect(parseNumberedLine(junk), junk).toBeNull();
    }
  });
});

describe('createLineParser', () => {
  it('reports each line once it is complete, even when pieces split numbers and lines', () => {
    const answer = 'Sure! Here you go:\n```\n1. Un\n12. Douze\n1. Un encore\n13. Treize\n2) Deux\n```\n3: Trois';
    for (const size of [1, 2, 3, 5, 11, answer.length]) {
      const lines: [number, string][] = [];
      const parser = createLineParser(12, (n, text) => lines.push([n, text]));
      for (let at = 0; at < answer.length; at += size) parser.push(answer.slice(at, at + size));
      // "3: Trois" has no newline yet: it may still grow.
      expect(lines, `pieces of ${size}`).toEqual([
        [1, 'Un'],
        [12, 'Douze'],
        [2, 'Deux'],
      ]);
      parser.end();
      expect(lines.at(-1)).toEqual([3, 'Trois']);
      expect([...parser.found.keys()].sort((a, b) => a - b)).toEqual([1, 2, 3, 12]);
    }
  });

  it('takes \\r\\n line ends', () => {
    const lines: string[] = [];
    const parser = createLineParser(2, (_, text) => lines.push(text));
    parser.push('1. a\r');
    parser.push('\n2. b\r\n');
    expect(lines).toEqual(['a', 'b']);
  });
});

describe('translationBatches', () => {
  it('cuts at 40 segments, with each line pointing back at its segment', () => {
    const batches = translationBatches(segments(90));
    expect(batches.map((b) => b.lines.length)).toEqual([40, 40, 10]);
    expect(batches[1].indexes[0]).toBe(40);
    expect(batches[2].indexes.at(-1)).toBe(89);
    expect(batches[2].lines[0]).toBe('Line number 80');
  });

  it('cuts at the character budget, and gives an over-long segment a batch of its own', () => {
    const batches = translationBatches([
      ...segments(5, () => 'x'.repeat(2500)),
      { startMs: 0, endMs: 1, text: 'y'.repeat(MAX_BATCH_CHARS + 1) },
      { startMs: 0, endMs: 1, text: 'z' },
    ]);
    expect(batches.map((b) => b.indexes)).toEqual([[0, 1], [2, 3], [4], [5], [6]]);
  });

  it('leaves out segments with no text and puts multi-line text on one line', () => {
    const batches = translationBatches([
      { startMs: 0, endMs: 1, text: 'one\ntwo  ' },
      { startMs: 1, endMs: 2, text: '  \n' },
      { startMs: 2, endMs: 3, text: 'three' },
    ]);
    expect(batches).toEqual([{ indexes: [0, 2], lines: ['one two', 'three'] }]);
  });
});

describe('translationPrompt', () => {
  it('names the language, the number of lines, and lists them numbered from 1', () => {
    const prompt = translationPrompt(['Hello', 'Goodbye', 'Paris, 3 pm'], 'pt-BR');
    expect(prompt.startsWith(`${TRANSLATION_PHRASE} pt-BR.\n`)).toBe(true);
    expect(prompt).toContain('Reply with 3 numbered lines, "1. …" to "3. …"');
    expect(prompt).toContain('already in pt-BR is kept');
    expect(prompt.endsWith(`${TRANSLATION_LINES_HEADING}\n1. Hello\n2. Goodbye\n3. Paris, 3 pm`)).toBe(true);
    // Never taken for a video caption prompt by the stub model.
    expect(prompt).not.toMatch(/Answer with exactly (\d+) lines/);
  });
});

describe('translateSegments', () => {
  it('translates in batches of 40 with global indexes, summing usage and cost', async () => {
    const { model, calls } = scriptedModel(tagAll('fr'));
    const { seen, onSegment } = recorder();
    const input = segments(90);

    const result = await translateSegments({ segments: input, language: 'French', model: spec, onSegment, languageModelFor: () => model });

    expect(result.texts).toEqual(input.map((s) => `[fr] ${s.text}`));
    expect(calls).toHaveLength(3);
    expect(calls.map((p) => promptLines(p).length)).toEqual([40, 40, 10]);
    expect(promptLines(calls[1])[0]).toBe('Line number 40');
    expect(calls[0].startsWith(`${TRANSLATION_PHRASE} French.`)).toBe(true);
    // Each index exactly once, with the text that ends up in `texts`.
    expect(seen.map(([i]) => i).sort((a, b) => a - b)).toEqual(input.map((_, i) => i));
    for (const [i, text] of seen) expect(text).toBe(result.texts[i]);
    expect(result).toMatchObject({ inputTokens: 30, outputTokens: 15 });
    expect(result.costUsd).toBeCloseTo((3 * (10 * 1 + 5 * 2)) / 1_000_000, 12);
  });

  it('keeps working through prose, code fences and "N)" / "N:" answers', async () => {
    const { model } = scriptedModel((lines) => ['Voici la traduction :', '```', ...lines.map((l, i) => `${i + 1}${i % 2 ? ')' : ':'} <${l}>`), '```', 'Bonne journée !'].join('\n'), 4);
    const result = await translateSegments({ segments: segments(5), language: 'French', model: spec, languageModelFor: () => model });
    expect(result.texts).toEqual(segments(5).map((s) => `<${s.text}>`));
  });

  it('reports a line as soon as it is complete, while the answer is still streaming', async () => {
    let live!: ReturnType<typeof controlledStream>;
    const model = new MockLanguageModelV4({
      doStream: async (options) => {
        live = controlledStream(options.abortSignal);
        return { stream: live.stream };
      },
    });
    const { seen, onSegment } = recorder();
    const done = translateSegments({ segments: segments(3), language: 'French', model: spec, onSegment, languageModelFor: () => model });

    await vi.waitFor(() => expect(live).toBeDefined());
    live.write('1. Ligne ');
    live.write('zéro\n2. Li');
    await vi.waitFor(() => expect(seen).toEqual([[0, 'Ligne zéro']]));
    live.write('gne un\n3. Ligne deux');
    await vi.waitFor(() => expect(seen).toHaveLength(2));
    // The last line has no newline: it is only known to be whole when the answer ends.
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toHaveLength(2);
    live.finish();

    expect((await done).texts).toEqual(['Ligne zéro', 'Ligne un', 'Ligne deux']);
    expect(seen[2]).toEqual([2, 'Ligne deux']);
  });

  it('asks again once for a batch with a line missing, and keeps what it already reported', async () => {
    const { model, calls } = scriptedModel((lines, call) =>
      lines
        .map((l, i) => `${i + 1}. [try ${call}] ${l}`)
        .filter((_, i) => call > 1 || i !== 1)
        .join('\n'),
    );
    const { seen, onSegment } = recorder();

    const result = await translateSegments({ segments: segments(3), language: 'French', model: spec, onSegment, languageModelFor: () => model });

    expect(calls).toHaveLength(2);
    expect(calls[1]).toBe(calls[0]);
    expect(result.texts).toEqual(['[try 1] Line number 0', '[try 2] Line number 1', '[try 1] Line number 2']);
    expect(seen.map(([i]) => i).sort()).toEqual([0, 1, 2]);
    expect(result).toMatchObject({ inputTokens: 20, outputTokens: 10 });
  });

  it('fails with a model_error when the retry leaves lines out too', async () => {
    const { model, calls } = scriptedModel((lines) => tagAll('fr')(lines.slice(0, -1)));

    const error = await translateSegments({ segments: segments(4), language: 'French', model: spec, languageModelFor: () => model }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'model_error', message: SKIPPED_LINES_MESSAGE, status: 502 });
    expect(calls).toHaveLength(2);
  });

  it('streams at most two batches at once', async () => {
    const { model, calls, maxActive } = scriptedModel(tagAll('fr'), 200, 5);
    const result = await translateSegments({ segments: segments(200), language: 'French', model: spec, languageModelFor: () => model });
    expect(calls).toHaveLength(5);
    expect(maxActive()).toBe(2);
    expect(result.texts[199]).toBe('[fr] Line number 199');
  });

  it('stops everything and throws the provider error when a batch fails', async () => {
    let calls = 0;
    const good = scriptedModel(tagAll('fr'), 50, 5).model;
    const model = new MockLanguageModelV4({
      doStream: async (options) => {
        if (++calls === 2) throw new APICallError({ message: 'HTTP 500', url: 'http://model', requestBodyValues: {}, statusCode: 500, isRetryable: false });
        return good.doStream(options);
      },
    });
    const { seen, onSegment } = recorder();

    const error = await translateSegments({ segments: segments(200), language: 'French', model: spec, onSegment, languageModelFor: () => model }).catch((e: unknown) => e);

    expect(APICallError.isInstance(error)).toBe(true);
    expect((error as APICallError).statusCode).toBe(500);
    expect(calls).toBe(2);
    const count = seen.length;
    await new Promise((r) => setTimeout(r, 30));
    expect(seen.length).toBe(count);
  });

  it('stops when the signal aborts, with its reason, and reports nothing after', async () => {
    let live!: ReturnType<typeof controlledStream>;
    let calls = 0;
    const model = new MockLanguageModelV4({
      doStream: async (options) => {
        calls++;
        live = controlledStream(options.abortSignal);
        return { stream: live.stream };
      },
    });
    const controller = new AbortController();
    const { seen, onSegment } = recorder();
    const done = translateSegments({ segments: segments(3), language: 'French', model: spec, signal: controller.signal, onSegment, languageModelFor: () => model });

    await vi.waitFor(() => expect(live).toBeDefined());
    live.write('1. Un\n2. De');
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    const reason = new Error('stopped by the person');
    controller.abort(reason);

    await expect(done).rejects.toBe(reason);
    expect(seen).toEqual([[0, 'Un']]);
    expect(calls).toBe(1);
  });

  it('makes no call when already aborted', async () => {
    const { model, calls } = scriptedModel(tagAll('fr'));
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    await expect(translateSegments({ segments: segments(2), language: 'French', model: spec, signal: controller.signal, languageModelFor: () => model })).rejects.toThrow('gone');
    expect(calls).toHaveLength(0);
  });

  it('returns at once for no segments, or segments without text', async () => {
    const languageModelFor = vi.fn();
    expect(await translateSegments({ segments: [], language: 'French', model: spec, languageModelFor })).toEqual({ texts: [], inputTokens: 0, outputTokens: 0, costUsd: 0 });

    const { seen, onSegment } = recorder();
    const blank = [
      { startMs: 0, endMs: 1, text: '' },
      { startMs: 1, endMs: 2, text: ' \n ' },
    ];
    expect(await translateSegments({ segments: blank, language: 'French', model: spec, onSegment, languageModelFor })).toEqual({ texts: ['', ''], inputTokens: 0, outputTokens: 0, costUsd: 0 });
    expect(seen).toEqual([
      [0, ''],
      [1, ''],
    ]);
    expect(languageModelFor).not.toHaveBeenCalled();
  });

  it('reports blank segments as empty and translates the rest around them', async () => {
    const { model, calls } = scriptedModel(tagAll('de'));
    const input = [...segments(2), { startMs: 5, endMs: 6, text: '' }, ...segments(1, () => 'Last')];
    const result = await translateSegments({ segments: input, language: 'German', model: spec, languageModelFor: () => model });
    expect(result.texts).toEqual(['[de] Line number 0', '[de] Line number 1', '', '[de] Last']);
    expect(calls).toHaveLength(1);
  });

  it('refuses an empty or overlong language without calling the model', async () => {
    const languageModelFor = vi.fn();
    await expect(translateSegments({ segments: segments(1), language: '  ', model: spec, languageModelFor })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(translateSegments({ segments: segments(1), language: 'x'.repeat(61), model: spec, languageModelFor })).rejects.toMatchObject({ code: 'bad_request' });
    expect(languageModelFor).not.toHaveBeenCalled();
  });
});
