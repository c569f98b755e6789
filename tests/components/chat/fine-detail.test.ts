import { describe, expect, it } from 'vitest';
import { imageTokensFor } from '@/lib/ai/budget';
import { openaiModels, pixelBudgetModel, QWEN_MAX_PIXELS } from '@/lib/ai/catalog';
import { describeTiles, fineDetailOffer } from '@/components/chat/fine-detail';

const gpt4o = openaiModels().find((m) => m.id === 'openai:gpt-4o')!;
const qwen = pixelBudgetModel('compatible', 'qwen', QWEN_MAX_PIXELS, 32_768);

describe('fineDetailOffer', () => {
  it('prices every tile plus the whole image the answer is written from', () => {
    const offer = fineDetailOffer(gpt4o, 'high', { width: 1080, height: 9000 })!;
    expect(offer.plan.tiles).toHaveLength(13);
    // Each 1080 × 779 tile is read at 1065 × 768: 3 × 2 squares of 512 px, 85 + 6 × 170 tokens.
    expect(offer.plan.tiles[0]).toMatchObject({ width: 1080, height: 779 });
    expect(imageTokensFor(gpt4o, 'high', 1080, 779)).toBe(1105);
    expect(offer.tileTokens).toBe(13 * 1105);
    expect(offer.tokens).toBe(offer.tileTokens + imageTokensFor(gpt4o, 'high', 1080, 9000));
  });

  it('is not offered where the model reads the image well enough whole', () => {
    expect(fineDetailOffer(gpt4o, 'high', { width: 1600, height: 1200 })).toBeNull();
    expect(fineDetailOffer(qwen, 'auto', { width: 1080, height: 2400 })).toBeNull();
  });
});

describe('describeTiles', () => {
  it('says how many parts, and how small they are read when capped', () => {
    expect(describeTiles(fineDetailOffer(qwen, 'auto', { width: 1080, height: 9000 })!.plan)).toBe(
      'Read this image in 11 overlapping parts at full resolution, one model call each, then answer from all of them. For small print in long screenshots, documents and panoramas.',
    );
    expect(describeTiles(fineDetailOffer(qwen, 'auto', { width: 6000, height: 8000 })!.plan)).toMatch(/^Read this image in at most 24 parts, each read at 63 % of full size,/);
  });
});
