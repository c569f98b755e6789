import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startStubModel, type StubModel } from '@/e2e/stub-model/server';
import { pixelBudgetModel } from '@/lib/ai/catalog';
import { testTranscriptionModel, testVisionModel } from '@/lib/ai/connection-test';
import { forgetStructuredModes } from '@/lib/ai/structured-output';

let stub: StubModel;
beforeAll(async () => {
  stub = await startStubModel({ deltaDelayMs: 0 });
});
beforeEach(() => {
  stub.reset();
  forgetStructuredModes();
  vi.stubEnv('OPENAI_COMPATIBLE_BASE_URL', stub.url);
});
afterEach(() => vi.unstubAllEnvs());
afterAll(() => stub.stop());

const spec = (name: string) => pixelBudgetModel('compatible', name, 1_000_000, 32_768);
const byName = (report: Awaited<ReturnType<typeof testVisionModel>>) => Object.fromEntries(report.checks.map((c) => [c.name, c]));

describe('testVisionModel', () => {
  it('reports a model that sees, streams, reports usage and enforces schemas', async () => {
    const report = await testVisionModel(spec('stub-vision'));
    expect(report.ok).toBe(true);
    const checks = byName(report);
    expect(checks.vision).toMatchObject({ ok: true, detail: 'Saw the red test image (“The image is red.”).' });
    expect(checks.streaming.ok).toBe(true);
    expect(checks.usage).toMatchObject({ ok: true, detail: expect.stringMatching(/^Reports usage \(\d+ in, \d+ out\)\.$/) });
    expect(checks.thinking.ok).toBeNull();
    expect(checks.structured).toMatchObject({ ok: true, detail: expect.stringContaining('enforces the JSON schema') });
    // The image really went out: a PNG the stub read as red.
    expect(stub.requests[0].images[0]).toMatchObject({ mediaType: 'image/png', colour: 'red' });
  });

  it('says how a server that refuses json_schema takes structured output, and that a thinking model thinks', async () => {
    const checks = byName(await testVisionModel(spec('stub-vision-noschema')));
    expect(checks.structured).toMatchObject({ ok: true, detail: expect.stringContaining('takes json_object only') });
    // OpenAI's chat completions stream no reasoning text; vLLM's do.
    stub.configure({ dialect: 'vllm' });
    const thinking = byName(await testVisionModel(spec('stub-thinking')));
    expect(thinking.thinking.ok).toBe(true);
    expect(thinking.vision.ok).toBe(true);
  });

  it('reports an unknown model in plain words, and nothing else', async () => {
    const report = await testVisionModel(spec('no-such-model'));
    expect(report.ok).toBe(false);
    expect(report.checks).toEqual([{ name: 'reachable', ok: false, detail: 'The model server does not have the model “no-such-model” (HTTP 404). Pick another model, or check the model names configured.' }]);
  });
});

describe('testTranscriptionModel', () => {
  it('is null without a transcription model, and reports timed segments from one that has them', async () => {
    vi.stubEnv('TRANSCRIPTION_MODEL', '');
    expect(await testTranscriptionModel()).toBeNull();
    vi.stubEnv('TRANSCRIPTION_MODEL', 'compatible:stub-whisper');
    const report = await testTranscriptionModel();
    expect(report).toMatchObject({ modelId: 'compatible:stub-whisper', ok: true });
    expect(report!.checks[1]).toEqual({ name: 'segments', ok: true, detail: 'Answered 1 timed segment(s).' });
  });
});
