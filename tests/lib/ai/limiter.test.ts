/**
 * The shared model limiter against the stub model over HTTP, standing in for a provider that counts
 * calls in flight, starts per second and tokens: what the "provider" sees is asserted from the
 * stub's own record of arrivals and 429s.
 */
import { randomUUID } from 'node:crypto';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText, streamText } from 'ai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { BROKEN_MODEL, startStubModel, type RecordedRequest, type StubModel } from '@/e2e/stub-model/server';
import { withFallback } from '@/lib/ai/fallback';
import { limitedModel } from '@/lib/ai/limited-model';
import { createModelLimiter, limiterConfigFromEnv, resetModelLimiters, type LimiterConfig, type ModelLimiter } from '@/lib/ai/limiter';
import { findModel } from '@/lib/ai/registry';
import { db } from '@/lib/db/client';
import { cachedModelCall } from '@/lib/jobs/video/model-call';
import { pointAtStub } from '@/tests/support/stub-env';

let stub: StubModel;
// Streamed answers take a while (56 deltas, over half a second), so a test can hold one open.
const DELTA_DELAY_MS = 10;

beforeAll(async () => {
  stub = await startStubModel({ deltaDelayMs: DELTA_DELAY_MS });
});

beforeEach(() => stub.reset());

afterEach(() => {
  vi.unstubAllEnvs();
  resetModelLimiters();
});

afterAll(async () => {
  await stub?.stop();
  await db().$disconnect();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const UNLIMITED: LimiterConfig = { concurrency: 1000, requestsPerMinute: 6_000_000, tokensPerMinute: 1_000_000_000 };

function stubModel(name = 'stub-vision') {
  return createOpenAICompatible({ name: 'compatible', baseURL: stub.url, apiKey: 'unused', includeUsage: true })(name);
}

function ask(limiter: ModelLimiter, prompt: string, tokens?: number) {
  return generateText({ model: limitedModel(limiter, stubModel(), { tokens }), prompt, maxRetries: 0 });
}

const chatCalls = () => stub.requests.filter((r) => r.path === '/v1/chat/completions');
const promptOf = (call: RecordedRequest) => JSON.stringify(call.body);
const arrivalMs = (call: RecordedRequest) => Date.parse(call.receivedAt);
const arrivals = (calls = chatCalls()) => calls.map(arrivalMs).sort((a, b) => a - b);

/** The most arrivals within any `windowMs`, as a provider counting over sliding windows sees them. */
function busiestWindow(times: number[], windowMs: number): number {
  return Math.max(...times.map((t) => times.filter((s) => s >= t && s < t + windowMs).length));
}

async function until(condition: () => boolean) {
  while (!condition()) await sleep(5);
}

describe('limits from the environment', () => {
  it('takes a provider’s own setting over the general one, and the defaults otherwise', () => {
    const env = { MODEL_CONCURRENCY: '4', COMPATIBLE_MODEL_CONCURRENCY: '2', OPENAI_MODEL_TOKENS_PER_MINUTE: '30000' };
    expect(limiterConfigFromEnv('compatible', env)).toEqual({ concurrency: 2, requestsPerMinute: 500, tokensPerMinute: 2_000_000 });
    expect(limiterConfigFromEnv('openai', env)).toEqual({ concurrency: 4, requestsPerMinute: 500, tokensPerMinute: 30_000 });
    expect(limiterConfigFromEnv('ollama', {})).toEqual({ concurrency: 10, requestsPerMinute: 500, tokensPerMinute: 2_000_000 });
    expect(() => limiterConfigFromEnv('openai', { MODEL_REQUESTS_PER_MINUTE: 'lots' })).toThrow('MODEL_REQUESTS_PER_MINUTE must be a whole number above 0, got "lots"');
  });
});

describe('the model limiter', () => {
  it('keeps at most `concurrency` calls at the provider, and uses all of them', async () => {
    const callDelayMs = 200;
    stub.configure({ callDelayMs });
    const limiter = createModelLimiter({ ...UNLIMITED, concurrency: 3 });
    const startedAt = performance.now();
    await Promise.all(Array.from({ length: 9 }, (_, i) => ask(limiter, `in flight ${i}`)));

    // A call is at the stub for callDelayMs after it arrives: arrivals closer than that overlap.
    expect(busiestWindow(arrivals(), callDelayMs)).toBe(3);
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(3 * callDelayMs);
  });

  it('holds a streamed call’s slot until its stream is read to the end, or aborted', async () => {
    const limiter = createModelLimiter({ ...UNLIMITED, concurrency: 1 });
    const stream = (prompt: string, abortSignal?: AbortSignal) =>
      streamText({ model: limitedModel(limiter, stubModel()), prompt, maxRetries: 0, abortSignal, onError: () => {} });
    const aborting = new AbortController();
    await stream('aborted', aborting.signal).textStream.getReader().read();
    const readToTheEnd = stream('read to the end').textStream.getReader();
    const last = stream('last').text;

    const readingStarted = readToTheEnd.read();
    await sleep(100);
    expect(chatCalls()).toHaveLength(1);
    aborting.abort();
    await readingStarted;
    await sleep(100);
    expect(chatCalls()).toHaveLength(2);
    while (!(await readToTheEnd.read()).done);
    expect(await last).toContain('Stub answer to: "last"');
    expect(chatCalls().map((c) => c.clientAborted)).toEqual([true, false, false]);
  });

  it('paces starts at the provider’s per-minute limit without a single 429', async () => {
    stub.configure({ requestsPerMinute: 600 });
    const limiter = createModelLimiter({ ...UNLIMITED, concurrency: 10, requestsPerMinute: 600 });
    await Promise.all(Array.from({ length: 25 }, (_, i) => ask(limiter, `paced ${i}`)));

    const calls = chatCalls();
    expect(calls.filter((c) => c.status === 429)).toHaveLength(0);
    const times = arrivals(calls);
    expect(busiestWindow(times, 1000)).toBe(10);
    // After the first second's ten, the rest come at the limit: 10 a second, less the jitter margin.
    const rest = times.slice(10);
    const perSecond = ((rest.length - 1) * 1000) / (rest.at(-1)! - rest[0]);
    expect(perSecond).toBeGreaterThan(9);
    expect(perSecond).toBeLessThanOrEqual(10);
  });

  it('spaces calls by their tokens, and lets through a call asking for more than the limit', async () => {
    const tokenWindowMs = 300;
    const limiter = createModelLimiter({ ...UNLIMITED, tokensPerMinute: 1000, tokenWindowMs });
    await Promise.all([...Array.from({ length: 4 }, (_, i) => ask(limiter, `heavy ${i}`, 600)), ask(limiter, 'huge', 50_000)]);

    // 600 + 600 > 1000: no two heavy calls within one window (arrivals at the stub jitter by a few ms
    // of network and timer delay; without spacing they would all arrive at once).
    const times = arrivals();
    expect(times).toHaveLength(5);
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(tokenWindowMs - 30);
  });

  it('lets a call aborted while it waits leave at once, its slot going to the next', async () => {
    const limiter = createModelLimiter({ ...UNLIMITED, concurrency: 1, requestsPerMinute: 60 });
    await limiter.run(async () => 'uses the start permit of this second');
    const waitingForPermit = new AbortController();
    const aborted = limiter.run(async () => 'never runs', waitingForPermit.signal);
    const waitingForSlot = new AbortController();
    const alsoAborted = limiter.run(async () => 'never runs either', waitingForSlot.signal);
    const next = limiter.run(async () => 'runs');
    await sleep(50);
    expect([limiter.inFlight, limiter.queued]).toEqual([1, 2]);

    let abortedAt = performance.now();
    waitingForSlot.abort(new Error('stopped in line'));
    await expect(alsoAborted).rejects.toThrow('stopped in line');
    expect(performance.now() - abortedAt).toBeLessThan(100);

    abortedAt = performance.now();
    waitingForPermit.abort(new Error('stopped waiting'));
    await expect(aborted).rejects.toThrow('stopped waiting');
    expect(performance.now() - abortedAt).toBeLessThan(100);
    await sleep(0);
    expect([limiter.inFlight, limiter.queued]).toEqual([1, 0]);
    // The permit the aborted call had reserved stays spent: the next start comes a slice later.
    expect(await next).toBe('runs');
  });
});

describe('attempts through the limiter', () => {
  it('passes every attempt through the limiter: a failing model, then the fallback that answers', async () => {
    const tokenWindowMs = 200;
    const limiter = createModelLimiter({ ...UNLIMITED, tokensPerMinute: 100, tokenWindowMs });
    const candidate = (name: string) => ({ id: name, model: limitedModel(limiter, stubModel(name), { tokens: 100 }) });
    const result = await generateText({ model: withFallback([candidate(BROKEN_MODEL), candidate('stub-vision')]), prompt: 'fall back', maxRetries: 0 });

    expect(result.text).toContain('model: stub-vision');
    const calls = chatCalls();
    expect(calls.map((c) => [c.model, c.status])).toEqual([
      [BROKEN_MODEL, 500],
      ['stub-vision', 200],
    ]);
    // Each attempt took a full window's tokens: the second waited for the first's to pass.
    expect(arrivalMs(calls[1]) - arrivalMs(calls[0])).toBeGreaterThanOrEqual(tokenWindowMs - 30);
  });

  it('holds no slot while a 429 is waited out, and retries after the pause the provider asked for', async () => {
    stub.configure({ requestsPerMinute: 60 });
    const limiter = createModelLimiter({ ...UNLIMITED, concurrency: 1 });
    const model = withFallback([{ id: 'stub', model: limitedModel(limiter, stubModel()) }], { rateLimitAttempts: 3, maxDelayMs: 60_000 });
    await generateText({ model, prompt: 'takes the stub’s one call this second', maxRetries: 0 });
    const retried = generateText({ model, prompt: 'retried', maxRetries: 0 });

    await until(() => chatCalls().some((c) => c.status === 429));
    await sleep(100);
    expect(limiter.inFlight).toBe(0);
    expect((await retried).text).toContain('Stub answer to: "retried"');

    const [refused, answered] = chatCalls().filter((c) => promptOf(c).includes('retried'));
    expect([refused.status, answered.status]).toEqual([429, 200]);
    // The stub asked for 1 s (Retry-After is in whole seconds).
    expect(arrivalMs(answered) - arrivalMs(refused)).toBeGreaterThanOrEqual(999);
  });

  it('background calls (cachedModelCall) all succeed against a provider stricter than the limiter, its 429s retried', async () => {
    pointAtStub(stub.url);
    vi.stubEnv('COMPATIBLE_MODEL_REQUESTS_PER_MINUTE', '600');
    stub.configure({ requestsPerMinute: 300 });
    const spec = (await findModel('compatible:stub-vision'))!;
    const run = randomUUID();
    const prompts = Array.from({ length: 10 }, (_, i) => `background ${i} ${run}`);
    const results = await Promise.all(
      prompts.map((prompt) => cachedModelCall(spec, { test: 'limiter', prompt }, [{ role: 'user', content: prompt }], new AbortController().signal, { tokens: 500 })),
    );

    expect(results.every((r) => r.live && r.text.includes('Stub answer'))).toBe(true);
    const calls = chatCalls();
    expect(calls.filter((c) => c.status === 429).length).toBeGreaterThan(0);
    expect(calls.filter((c) => c.status === 200)).toHaveLength(10);
    expect(busiestWindow(arrivals(calls.filter((c) => c.status === 200)), 1000)).toBeLessThanOrEqual(5);
    for (const prompt of prompts) {
      const attempts = calls.filter((c) => promptOf(c).includes(prompt));
      for (let i = 1; i < attempts.length; i++) expect(arrivalMs(attempts[i]) - arrivalMs(attempts[i - 1])).toBeGreaterThanOrEqual(999);
    }
  });
});
