import { describe, expect, it } from 'vitest';
import { estimateImageTokens, originalImageTokens, type ImageTokenEstimator } from '@/lib/ai/image-tokens';
import type { ImageBudget } from '@/lib/media/types';

const gpt4o: ImageTokenEstimator = { kind: 'openai-tiles', base: 85, perTile: 170 };
const rawPatches: ImageTokenEstimator = { kind: 'openai-patches', multiplier: 1, maxPatches: 1536 };
const gpt41mini: ImageTokenEstimator = { kind: 'openai-patches', multiplier: 1.62, maxPatches: 1536 };
const qwenPatches: ImageTokenEstimator = { kind: 'qwen-patches' };

const low: ImageBudget = { kind: 'openai-tiles', detail: 'low' };
const high: ImageBudget = { kind: 'openai-tiles', detail: 'high' };
const auto: ImageBudget = { kind: 'openai-tiles', detail: 'auto' };
const qwen: ImageBudget = { kind: 'max-pixels', maxPixels: 1280 * 28 * 28, minPixels: 4 * 28 * 28, patch: 28 };

describe('openai-tiles (OpenAI documented examples)', () => {
  it.each([
    [1024, 1024, 765],
    [2048, 4096, 1105],
    [4000, 3000, 765],
    [500, 500, 255],
    [513, 500, 425],
  ])('%i×%i at high detail → %i tokens', (width, height, tokens) => {
    expect(estimateImageTokens(width, height, gpt4o, high)).toBe(tokens);
    expect(estimateImageTokens(width, height, gpt4o, auto)).toBe(tokens);
  });

  it('charges only the base at low detail, whatever the size', () => {
    expect(estimateImageTokens(4096, 8192, gpt4o, low)).toBe(85);
    expect(estimateImageTokens(10, 10, gpt4o, low)).toBe(85);
  });

  it('costs the same for the original at high detail, since OpenAI shrinks it the same way', () => {
    expect(originalImageTokens(4000, 3000, gpt4o)).toBe(765);
    expect(originalImageTokens(2048, 4096, gpt4o)).toBe(1105);
  });
});

describe('openai-patches (gpt-4.1-mini style)', () => {
  it('counts 32 px patches when they fit under the cap', () => {
    expect(originalImageTokens(1024, 1024, rawPatches)).toBe(1024);
    expect(originalImageTokens(1000, 1000, rawPatches)).toBe(32 * 32);
  });

  it('shrinks 1800×2400 to 1056×1408 (33×44 = 1452 patches), as OpenAI documents', () => {
    expect(originalImageTokens(1800, 2400, rawPatches)).toBe(1452);
  });

  it('applies the model multiplier and rounds up', () => {
    expect(originalImageTokens(1800, 2400, gpt41mini)).toBe(Math.ceil(1452 * 1.62));
    // Our high-detail resize sends 1024×768: 32×24 patches.
    expect(estimateImageTokens(4000, 3000, gpt41mini, high)).toBe(Math.ceil(768 * 1.62));
  });

  it('never exceeds the patch cap, despite floating point in the snapping step', () => {
    for (let width = 200; width <= 6000; width += 97) {
      for (let height = 200; height <= 6000; height += 89) {
        expect(originalImageTokens(width, height, rawPatches)).toBeLessThanOrEqual(1536);
      }
    }
    // A case where the naive Math.ceil over-counts (to 1575) because 261·r/32 lands just above 8.
    expect(originalImageTokens(261, 5690, rawPatches)).toBe(1400);
  });
});

describe('qwen-patches', () => {
  it('is one token per 28×28 square of the smart-resized image, plus vision start and end', () => {
    // 4000×3000 → 1148×840 = 41×30 squares.
    expect(estimateImageTokens(4000, 3000, qwenPatches, qwen)).toBe(41 * 30 + 2);
    // 1024×768 → 1036×756 = 37×27 squares.
    expect(estimateImageTokens(1024, 768, qwenPatches, qwen)).toBe(37 * 27 + 2);
  });

  it('uses the budget patch size, e.g. 32 px for Qwen3-VL', () => {
    const qwen3: ImageBudget = { kind: 'max-pixels', maxPixels: 1280 * 32 * 32, minPixels: 4 * 32 * 32, patch: 32 };
    expect(estimateImageTokens(1024, 768, qwenPatches, qwen3)).toBe(32 * 24 + 2);
  });

  it("compares against the processor's own defaults when the original is sent unresized", () => {
    // Qwen2.5-VL's processor allows up to 16384 tokens: 4000×3000 → 4004×2996 = 143×107.
    expect(originalImageTokens(4000, 3000, qwenPatches)).toBe(143 * 107 + 2);
  });

  it("applies the processor's defaults to an image resized for an OpenAI budget", () => {
    // The high-detail 1024×768 arrives and is snapped to 1036×756.
    expect(estimateImageTokens(4000, 3000, qwenPatches, high)).toBe(37 * 27 + 2);
  });
});
