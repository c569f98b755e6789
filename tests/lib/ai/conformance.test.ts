/**
 * Our model I/O against every server the stub can speak as (e2e/stub-model/dialects): the same
 * questions, through the code the app uses, must give the same answers whatever the wire looks like.
 * A dialect failing here is a server people run that Glimpse breaks on.
 */
import { APICallError } from '@ai-sdk/provider';
import { generateText, Output, streamText } from 'ai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { DIALECTS } from '@/e2e/stub-model/dialects';
import type { ChatTurn, DialectId, ErrorCase, TranscriptionFormat } from '@/e2e/stub-model/dialects/types';
import { startStubModel, stubAnswer, stubReasoning, stubTranscript, decodeWav, type StubModel } from '@/e2e/stub-model/server';
import { pixelBudgetModel } from '@/lib/ai/catalog';
import { classifyProviderError, type FailureKind } from '@/lib/ai/provider-errors';
import { languageModel } from '@/lib/ai/providers';
import { forgetStructuredModes } from '@/lib/ai/structured-output';
import { forgetTranscriptionFormats, transcribeAudio } from '@/lib/ai/transcription';
import { testTone } from '@/lib/ai/connection-test';

let stub: StubModel;

beforeAll(async () => {
  stub = await startStubModel({ deltaDelayMs: 0 });
});
beforeEach(() => {
  stub.reset();
  forgetStructuredModes();
  forgetTranscriptionFormats();
  vi.stubEnv('OPENAI_COMPATIBLE_BASE_URL', stub.url);
  vi.stubEnv('OPENAI_COMPATIBLE_API_KEY', 'sk-conformance');
});
afterEach(() => vi.unstubAllEnvs());
afterAll(() => stub.stop());

const chatDialects = (Object.keys(DIALECTS) as DialectId[]).filter((id) => DIALECTS[id].chat);
const transcriptionDialects = (Object.keys(DIALECTS) as DialectId[]).filter((id) => DIALECTS[id].transcription);
const model = (name: string) => languageModel(pixelBudgetModel('compatible', name, 1_000_000, 32_768));

// What each error case must be read as, whoever words it.
const EXPECTED: Record<ErrorCase, FailureKind> = {
  rateLimited: 'rate-limit',
  rateLimitedBare: 'rate-limit',
  contextLength: 'context',
  payloadTooLarge: 'too-large',
  unauthorized: 'auth',
  modelNotFound: 'model',
  serverError: 'transient',
  unavailable: 'transient',
  badResponseFormat: 'rejected',
};
const MARKERS: Partial<Record<ErrorCase, string>> = { rateLimitedBare: '[fail:429:bare]', contextLength: '[fail:context]', payloadTooLarge: '[fail:413]', unauthorized: '[fail:401]', serverError: '[fail:500]', unavailable: '[fail:503]' };

describe.each(chatDialects)('chat as %s speaks it', (dialect) => {
  beforeEach(() => stub.configure({ dialect }));

  it('streams the whole answer, with usage when the server reports it', async () => {
    const result = streamText({ model: model('stub-vision'), prompt: 'Describe the scene', maxRetries: 0 });
    expect(await result.text).toBe(stubAnswer('Describe the scene', 0, 'stub-vision'));
    expect(await result.finishReason).toBe('stop');
    const usage = await result.totalUsage;
    expect(usage.inputTokens === undefined || usage.inputTokens > 0).toBe(true);
  });

  it('answers without streaming too', async () => {
    const { text } = await generateText({ model: model('stub-vision'), prompt: 'Once more', maxRetries: 0 });
    expect(text).toBe(stubAnswer('Once more', 0, 'stub-vision'));
  });

  it('keeps a thinking model’s reasoning apart from its answer', async () => {
    const result = streamText({ model: model('stub-thinking'), prompt: 'Think first', maxRetries: 0 });
    expect((await result.text).trim()).toBe(stubAnswer('Think first', 0, 'stub-thinking'));
    const reasoning = (await result.reasoning).map((r) => ('text' in r ? r.text : '')).join('');
    // OpenAI's chat completions never stream reasoning text; everyone else's must not leak into the answer.
    const probe: ChatTurn = { id: 'probe', created: 0, model: 'stub-thinking', deltas: ['a'], reasoning: ['x'], usage: { promptTokens: 1, completionTokens: 2, reasoningTokens: 1 }, finishReason: 'stop', includeUsage: false };
    if (DIALECTS[dialect].chat!.reasoningDelta(probe, 'x', 0) !== null) expect(reasoning.trim()).toBe(stubReasoning('Think first'));
  });

  it('gets JSON of a schema, stepping down where json_schema is refused', async () => {
    for (const name of ['stub-vision', 'stub-vision-noschema']) {
      const { output } = await generateText({ model: model(name), prompt: 'Label it', output: Output.object({ schema: z.object({ label: z.string(), count: z.number() }) }), maxRetries: 0 });
      expect(output).toEqual({ label: expect.any(String), count: expect.any(Number) });
    }
  });

  it.each(Object.entries(MARKERS))('reads its %s error as a failure people can act on', async (errorCase, marker) => {
    if (!DIALECTS[dialect].errors[errorCase as ErrorCase]) return; // this server has no such failure
    const error = await generateText({ model: model('stub-vision'), prompt: `Fail ${marker}`, maxRetries: 0 }).catch((e: unknown) => e);
    expect(APICallError.isInstance(error)).toBe(true);
    const failure = classifyProviderError(error)!;
    // OpenAI's 429 without Retry-After is its out-of-quota answer: no wait helps, so it is permanent.
    const expected = dialect === 'openai' && errorCase === 'rateLimitedBare' ? 'auth' : EXPECTED[errorCase as ErrorCase];
    expect(failure.kind).toBe(expected);
    expect(failure.message).not.toMatch(/HTTP 200|127\.0\.0\.1|stub/);
  });

  it('reads an unknown model as such', async () => {
    if (!DIALECTS[dialect].errors.modelNotFound) return;
    const error = await generateText({ model: model('no-such-model'), prompt: 'hi', maxRetries: 0 }).catch((e: unknown) => e);
    expect(classifyProviderError(error)?.kind).toBe('model');
  });
});

describe.each(transcriptionDialects)('transcription as %s speaks it', (dialect) => {
  beforeEach(() => {
    stub.configure({ transcriptionDialect: dialect });
    vi.stubEnv('TRANSCRIPTION_MODEL', 'compatible:stub-whisper');
  });

  const heard = stubTranscript(decodeWav(testTone())!);

  it.each(['verbose_json', 'srt', 'vtt', 'json', 'text'] satisfies TranscriptionFormat[])('gives a transcript with times when asked for %s (or the next format it takes)', async (format) => {
    vi.stubEnv('TRANSCRIPTION_FORMAT', format);
    const transcript = await transcribeAudio(testTone(), { mediaType: 'audio/wav', durationMs: 1000 });
    expect(transcript.segments.map((s) => s.text)).toEqual(heard.segments.map((s) => s.text));
    for (const segment of transcript.segments) {
      expect(segment.endMs).toBeGreaterThan(segment.startMs);
      expect(segment.endMs).toBeLessThanOrEqual(1000 + 50);
    }
    expect(transcript.language === null || transcript.language === 'en').toBe(true);
  });
});
