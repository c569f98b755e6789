import { afterEach, describe, expect, it, vi } from 'vitest';
import { modelLimiter } from '@/lib/ai/limiter';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(() => vi.unstubAllEnvs());

describe('the shared model limiter', () => {
  it('keeps at most MODEL_CONCURRENCY calls in flight, across everyone who uses it', async () => {
    vi.stubEnv('MODEL_CONCURRENCY', '2');
    const provider = `concurrency-${Math.random()}`;
    let inFlight = 0;
    let peak = 0;
    const call = async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await sleep(30);
      inFlight--;
    };
    // Two "jobs" adding work separately still share the provider's one gate.
    await Promise.all([...Array.from({ length: 4 }, () => modelLimiter(provider).add(call)), ...Array.from({ length: 4 }, () => modelLimiter(provider).add(call))]);
    expect(peak).toBe(2);
    expect(modelLimiter(provider)).toBe(modelLimiter(provider));
  });

  it('starts no more than MODEL_REQUESTS_PER_MINUTE calls within a minute', async () => {
    vi.stubEnv('MODEL_CONCURRENCY', '10');
    vi.stubEnv('MODEL_REQUESTS_PER_MINUTE', '3');
    const limiter = modelLimiter(`rpm-${Math.random()}`);
    let started = 0;
    for (let i = 0; i < 5; i++) void limiter.add(async () => void started++);
    await sleep(300);
    expect(started).toBe(3);
    expect(limiter.size).toBe(2);
    limiter.clear();
  });
});
