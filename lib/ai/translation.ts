import type { LanguageModelV4 } from '@ai-sdk/provider';
import { streamText } from 'ai';
import { costUsd } from '@/lib/ai/budget';
import type { ModelSpec } from '@/lib/ai/catalog';
import { withFallback } from '@/lib/ai/fallback';
import { limitedModel } from '@/lib/ai/limited-model';
import { modelLimiter } from '@/lib/ai/limiter';
import { languageModel } from '@/lib/ai/providers';
import { modelChain } from '@/lib/ai/registry';
import { AppError } from '@/lib/errors';
import type { TimedText } from '@/lib/media/subtitles';

/** Opens every translation prompt; the stub model (e2e/stub-model/server.ts) recognises it by this. */
export const TRANSLATION_PHRASE = 'Translate each numbered subtitle line below into';
/** The heading above the numbered lines, after the rules. */
export const TRANSLATION_LINES_HEADING = 'Lines to translate:';
export const MAX_BATCH_SEGMENTS = 40;
/** Characters of segment text per call, so an answer stays well inside any model's output limit. */
export const MAX_BATCH_CHARS = 6000;
/** Batches streaming at once for one translation; the shared limiter still caps the provider overall. */
export const MAX_BATCHES_IN_FLIGHT = 2;
/** The route's schema allows as much (a language name, not a prompt). */
export const MAX_LANGUAGE_CHARS = 60;
/** One retry of a batch whose answer left lines out. */
const ATTEMPTS_PER_BATCH = 2;

export const SKIPPED_LINES_MESSAGE = 'The model left out lines of the translation. Try again, or pick another model.';

export interface TranslateOptions {
  segments: TimedText[];
  /** The language as the person wrote it: "French", "pt-BR", "Simplified Chinese". */
  language: string;
  model: ModelSpec;
  signal?: AbortSignal;
  /**
   * Called exactly once per segment index with its translation, as soon as the model has finished
   * that line. Not in index order: two batches stream at once, and a line a first answer left out
   * arrives with the retry. Segments with no text get '' right away, before any model call.
   * Never called after translateSegments has settled.
   */
  onSegment?: (index: number, text: string) => void;
  /** How a ModelSpec becomes a model; tests pass mock models here. Defaults to lib/ai/providers. */
  languageModelFor?: (spec: ModelSpec) => LanguageModelV4;
}

export interface TranslationResult {
  /** One translation per segment, in segment order; timings are the caller's to keep. */
  texts: string[];
  inputTokens: number;
  outputTokens: number;
  /** Over every call, retries included; models without a price count as 0. */
  costUsd: number;
}

export interface TranslationBatch {
  /** The segment index of each line, in order: line N of the prompt is segment `indexes[N - 1]`. */
  indexes: number[];
  lines: string[];
}

/** A segment's text on one line: the prompt and the answer are one line per segment. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Consecutive segments in batches of at most `maxSegments` and (unless one segment alone is longer)
 * `maxChars` characters of text. Segments with no text are left out: there is nothing to translate.
 */
export function translationBatches(segments: TimedText[], maxSegments = MAX_BATCH_SEGMENTS, maxChars = MAX_BATCH_CHARS): TranslationBatch[] {
  const batches: TranslationBatch[] = [];
  let current: TranslationBatch = { indexes: [], lines: [] };
  let chars = 0;
  segments.forEach((segment, index) => {
    const line = oneLine(segment.text);
    if (!line) return;
    if (current.lines.length > 0 && (current.lines.length >= maxSegments || chars + line.length > maxChars)) {
      batches.push(current);
      current = { indexes: [], lines: [] };
      chars = 0;
    }
    current.indexes.push(index);
    current.lines.push(line);
    chars += line.length;
  });
  if (current.lines.length > 0) batches.push(current);
  return batches;
}

/** The whole request for one batch, as a single user message. `lines` must already be single lines. */
export function translationPrompt(lines: string[], language: string): string {
  const n = lines.length;
  return [
    `${TRANSLATION_PHRASE} ${language}.`,
    `Reply with ${n} numbered lines, "1. …" to "${n}. …", where line N is the translation of line N below, and nothing else: no introduction, no notes, no code fences.`,
    'Translate every line on its own, even when a sentence runs on into the next one: never merge, split, skip or reorder lines, and keep each translation on a single line.',
    `A line that is already in ${language} is kept as it is.`,
    'Keep names, numbers, units and brand names as they are written.',
    '',
    TRANSLATION_LINES_HEADING,
    ...lines.map((line, i) => `${i + 1}. ${line}`),
  ].join('\n');
}

/** `N. text`, `N) text` or `N: text`, surrounding spaces ignored; anything else (prose, fences) is null. */
export function parseNumberedLine(line: string): { number: number; text: string } | null {
  // The separator may not be followed by a digit, so "3.5 kg" is not line 3.
  const match = /^\s*(\d{1,5})\s*[.):](?!\d)\s*(.*?)\s*$/.exec(line);
  if (!match || !match[2]) return null;
  return { number: Number(match[1]), text: match[2] };
}

export interface LineParser {
  /** Feeds a piece of the answer; every line it completes is reported. */
  push(delta: string): void;
  /** The answer is over: its last line counts even without a newline. */
  end(): void;
  /** Lines accepted so far, by number. */
  readonly found: ReadonlyMap<number, string>;
}

/**
 * Reads a streamed answer of numbered lines. A line is reported once it is complete (newline seen,
 * or end()); numbers outside 1…count, repeats of a number already seen (the first wins) and lines
 * that are not numbered are ignored.
 */
export function createLineParser(count: number, onLine: (number: number, text: string) => void): LineParser {
  const found = new Map<number, string>();
  let pending = '';
  const take = (line: string) => {
    const parsed = parseNumberedLine(line);
    if (!parsed || parsed.number < 1 || parsed.number > count || found.has(parsed.number)) return;
    found.set(parsed.number, parsed.text);
    onLine(parsed.number, parsed.text);
  };
  return {
    found,
    push(delta) {
      pending += delta;
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? '';
      for (const line of lines) take(line);
    },
    end() {
      const last = pending;
      pending = '';
      take(last);
    },
  };
}

interface Usage {
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/**
 * Translates timed segments into `language`, batch by batch (at most MAX_BATCHES_IN_FLIGHT at once,
 * each call through the shared limiter and the fallback chain), reporting each line as it streams
 * in. A batch whose answer leaves lines out is asked again once, whole; the lines the retry supplies
 * fill the gaps (lines already reported keep their first translation). Still incomplete, it fails
 * with AppError 'model_error'. Provider errors and aborts are thrown as they come; the first failure
 * stops the other batches. Texts are one line each: line breaks inside a segment become spaces.
 */
export async function translateSegments(options: TranslateOptions): Promise<TranslationResult> {
  const { segments, model, signal, onSegment, languageModelFor = languageModel } = options;
  if (segments.length === 0) return { texts: [], inputTokens: 0, outputTokens: 0, costUsd: 0 };
  const language = oneLine(options.language);
  if (!language) throw new AppError('bad_request', 'Say which language to translate into.');
  if (language.length > MAX_LANGUAGE_CHARS) {
    throw new AppError('bad_request', `A language name can be at most ${MAX_LANGUAGE_CHARS} characters; this one has ${language.length}.`);
  }
  const texts = segments.map(() => '');
  const total: Usage = { inputTokens: 0, outputTokens: 0, costUsd: 0 };
  const batches = translationBatches(segments);
  if (batches.length === 0) {
    segments.forEach((_, index) => onSegment?.(index, ''));
    return { texts, ...total };
  }
  signal?.throwIfAborted();

  // Aborted by the caller's signal or by the first batch to fail, so the others stop too.
  const stop = new AbortController();
  const forwardAbort = () => stop.abort(signal?.reason);
  signal?.addEventListener('abort', forwardAbort, { once: true });
  const emit = (index: number, text: string) => {
    texts[index] = text;
    if (!stop.signal.aborted) onSegment?.(index, text);
  };
  const translated = new Set(batches.flatMap((b) => b.indexes));
  segments.forEach((_, index) => translated.has(index) || emit(index, ''));

  const chain = await modelChain(model);
  const call = (batch: TranslationBatch, onLine: (number: number, text: string) => void) =>
    streamBatch({ batch, language, model, chain, languageModelFor, signal: stop.signal, onLine });

  async function runBatch(batch: TranslationBatch) {
    const done = new Set<number>();
    for (let attempt = 1; attempt <= ATTEMPTS_PER_BATCH; attempt++) {
      const usage = await call(batch, (number, text) => {
        if (done.has(number)) return;
        done.add(number);
        emit(batch.indexes[number - 1], text);
      });
      total.inputTokens += usage.inputTokens;
      total.outputTokens += usage.outputTokens;
      total.costUsd += usage.costUsd;
      if (done.size === batch.lines.length) return;
    }
    throw new AppError('model_error', SKIPPED_LINES_MESSAGE);
  }

  const failure: { error?: unknown; failed: boolean } = { failed: false };
  const inFlight = new Set<Promise<void>>();
  try {
    for (const batch of batches) {
      while (inFlight.size >= MAX_BATCHES_IN_FLIGHT) await Promise.race(inFlight);
      if (stop.signal.aborted) break;
      const running: Promise<void> = runBatch(batch)
        .catch((error: unknown) => {
          if (!failure.failed) Object.assign(failure, { failed: true, error });
          stop.abort(error);
        })
        .finally(() => inFlight.delete(running));
      inFlight.add(running);
    }
    await Promise.all(inFlight);
  } finally {
    signal?.removeEventListener('abort', forwardAbort);
  }
  // The caller's abort wins over whatever error it caused inside a batch.
  if (signal?.aborted) throw signal.reason;
  if (failure.failed) throw failure.error;
  return { texts, ...total };
}

/** One model call for one batch; each attempt holds its provider's limiter slot until its answer has streamed. */
async function streamBatch(ctx: {
  batch: TranslationBatch;
  language: string;
  model: ModelSpec;
  chain: ModelSpec[];
  languageModelFor: (spec: ModelSpec) => LanguageModelV4;
  signal: AbortSignal;
  onLine: (number: number, text: string) => void;
}): Promise<Usage> {
  const { batch, language, model, chain } = ctx;
  let answeredBy = model;
  const prompt = translationPrompt(batch.lines, language);
  // The lines come back about as long as they went: that is the answer's share of the token estimate.
  const tokens = Math.ceil((prompt.length + batch.lines.join('').length) / 4);
  const result = streamText({
    model: withFallback(
      chain.map((spec) => ({ id: spec.id, model: limitedModel(modelLimiter(spec.provider), ctx.languageModelFor(spec), { tokens }) })),
      { onChosen: (id) => (answeredBy = chain.find((m) => m.id === id) ?? model) },
    ),
    prompt,
    maxRetries: 0, // withFallback retries 429s per model
    abortSignal: ctx.signal,
    onError: () => {}, // thrown below instead of logged here
  });
  const parser = createLineParser(batch.lines.length, ctx.onLine);
  let inputTokens = 0;
  let outputTokens = 0;
  for await (const part of result.stream) {
    if (part.type === 'text-delta') parser.push(part.text);
    else if (part.type === 'error') throw part.error;
    else if (part.type === 'finish') {
      inputTokens = part.totalUsage.inputTokens ?? 0;
      outputTokens = part.totalUsage.outputTokens ?? 0;
    }
  }
  // An abort ends the stream quietly (an 'abort' part): that is not an answer with lines missing.
  ctx.signal.throwIfAborted();
  parser.end();
  return { inputTokens, outputTokens, costUsd: costUsd(answeredBy, inputTokens, outputTokens) ?? 0 };
}
