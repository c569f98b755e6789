import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { modelImageSize } from '@/lib/media/resize';
import type { ImageBudget } from '@/lib/media/types';

const low: ImageBudget = { kind: 'openai-tiles', detail: 'low' };
const high: ImageBudget = { kind: 'openai-tiles', detail: 'high' };
const auto: ImageBudget = { kind: 'openai-tiles', detail: 'auto' };
const qwen: ImageBudget = { kind: 'max-pixels', maxPixels: 1280 * 28 * 28, minPixels: 4 * 28 * 28, patch: 28 };

describe('modelImageSize with OpenAI detail rules', () => {
  it('fits low detail inside 512×512', () => {
    expect(modelImageSize(4000, 3000, low)).toEqual({ width: 512, height: 384 });
    expect(modelImageSize(1000, 4000, low)).toEqual({ width: 128, height: 512 });
  });

  it('fits high detail inside 2048² and then brings the short side down to 768', () => {
    expect(modelImageSize(4000, 3000, high)).toEqual({ width: 1024, height: 768 });
    expect(modelImageSize(2048, 4096, high)).toEqual({ width: 768, height: 1536 });
    expect(modelImageSize(1024, 1024, high)).toEqual({ width: 768, height: 768 });
  });

  it('applies the 2048 box before the short-side rule for very long images', () => {
    // 10000×1000 → 2048×205 after the box; the short side is then already under 768.
    expect(modelImageSize(10000, 1000, high)).toEqual({ width: 2048, height: 205 });
  });

  it('never upscales', () => {
    expect(modelImageSize(300, 200, low)).toEqual({ width: 300, height: 200 });
    expect(modelImageSize(700, 500, high)).toEqual({ width: 700, height: 500 });
  });

  it('never rounds a side down to zero', () => {
    expect(modelImageSize(5000, 1, low)).toEqual({ width: 512, height: 1 });
  });

  it('treats auto as high', () => {
    for (const [w, h] of [[4000, 3000], [400, 300], [600, 10]]) {
      expect(modelImageSize(w, h, auto)).toEqual(modelImageSize(w, h, high));
    }
  });
});

describe('modelImageSize with a max-pixels budget (Qwen smart_resize)', () => {
  // Expected values computed with qwen-vl-utils' smart_resize(height, width, 28, 4*28*28, 1280*28*28).
  it.each([
    [4000, 3000, 1148, 840],
    [1920, 1080, 1316, 728],
    [1024, 768, 1036, 756],
    [640, 480, 644, 476],
    [100, 50, 112, 56],
    [28, 28, 56, 56],
  ])('%i×%i → %i×%i', (width, height, expectedWidth, expectedHeight) => {
    expect(modelImageSize(width, height, qwen)).toEqual({ width: expectedWidth, height: expectedHeight });
  });

  it('rounds halves to even like Python, not up like Math.round', () => {
    // 70/28 = 2.5 → 2 (56), 98/28 = 3.5 → 4 (112).
    const roomy: ImageBudget = { kind: 'max-pixels', maxPixels: 1e9, minPixels: 1, patch: 28 };
    expect(modelImageSize(70, 98, roomy)).toEqual({ width: 56, height: 112 });
  });

  it('keeps every side a multiple of the patch and the area within the budget', () => {
    for (const [w, h] of [[4000, 3000], [3000, 4000], [8000, 100], [33, 4000], [1, 150], [12345, 6789]]) {
      const size = modelImageSize(w, h, qwen);
      expect(size.width % 28).toBe(0);
      expect(size.height % 28).toBe(0);
      expect(size.width * size.height).toBeLessThanOrEqual(1280 * 28 * 28);
      expect(size.width * size.height).toBeGreaterThanOrEqual(4 * 28 * 28);
    }
  });

  it('rejects images more elongated than 200:1, as Qwen does', () => {
    expect(() => modelImageSize(20100, 100, qwen)).toThrow(AppError);
    expect(() => modelImageSize(20000, 100, qwen)).not.toThrow();
  });
});
