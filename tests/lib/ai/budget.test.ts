import { describe, expect, it } from 'vitest';
import { imageBudgetFor, imageTokensFor, costUsd } from '@/lib/ai/budget';
import { openaiModels } from '@/lib/ai/catalog';
import { modelImageSize } from '@/lib/media/resize';

const model = (name: string) => openaiModels().find((m) => m.name === name)!;

describe('image budgets per model', () => {
  it('gives tile-priced models the detail rules', () => {
    expect(imageBudgetFor(model('gpt-4o'), 'low')).toEqual({ kind: 'openai-tiles', detail: 'low' });
    expect(imageTokensFor(model('gpt-4o'), 'high', 4000, 3000)).toBe(765);
    expect(imageTokensFor(model('gpt-4o'), 'low', 4000, 3000)).toBe(85);
  });

  it('gives patch-priced models all 1536 patches they read, whatever the detail', () => {
    const mini = model('gpt-4.1-mini');
    const budget = imageBudgetFor(mini, 'low');
    const { width, height } = modelImageSize(4000, 3000, budget);
    expect(width % 32).toBe(0);
    expect(height % 32).toBe(0);
    const patches = (width / 32) * (height / 32);
    expect(patches).toBeLessThanOrEqual(1536);
    // More than the 768 patches a 1024×768 tile-rule image would have given it.
    expect(patches).toBeGreaterThan(1400);
    expect(imageTokensFor(mini, 'high', 4000, 3000)).toBe(Math.ceil(patches * 1.62));
  });

  it('prices tokens per million, and says nothing when the price is unknown', () => {
    expect(costUsd(model('gpt-4o'), 1_000_000, 100_000)).toBeCloseTo(2.5 + 1, 10);
    expect(costUsd({ price: null }, 1000, 1000)).toBeNull();
  });
});
