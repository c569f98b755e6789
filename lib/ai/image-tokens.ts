import { modelImageSize, type Size } from '@/lib/media/resize';
import type { ImageBudget } from '@/lib/media/types';

// Pure arithmetic, shared with the browser: each model declares its estimator as data in its config.

/**
 * How a provider turns an image into tokens.
 * - `openai-tiles` (gpt-4o): `base` tokens, plus `perTile` for every 512 px tile at high detail.
 * - `openai-patches` (gpt-4.1-mini, o4-mini): one token per 32 px patch, at most `maxPatches`, times `multiplier`.
 * - `qwen-patches` (Qwen2.5-VL via vLLM): one token per `patch`-sized square, plus the vision start/end tokens.
 */
export type ImageTokenEstimator =
  | { kind: 'openai-tiles'; base: number; perTile: number }
  | { kind: 'openai-patches'; multiplier: number; maxPatches: number }
  | { kind: 'qwen-patches' };

const tileSize = 512;
const openaiPatchSize = 32;
const highDetail: ImageBudget = { kind: 'openai-tiles', detail: 'high' };

/**
 * What Qwen2.5-VL's processor (preprocessor_config.json) does with an image it receives: a `patch`
 * here is the 14 px ViT patch after the 2×2 merge, so each 28×28 square is one token.
 */
export const qwenProcessorDefaults = {
  kind: 'max-pixels',
  minPixels: 56 * 56,
  maxPixels: 16384 * 28 * 28,
  patch: 28,
} as const satisfies ImageBudget;

const qwenVisionStartEndTokens = 2;

/** Tokens for a `width × height` image once we have resized it to `budget` and the provider applied its own rules. */
export function estimateImageTokens(
  width: number,
  height: number,
  estimator: ImageTokenEstimator,
  budget: ImageBudget,
): number {
  const sent = modelImageSize(width, height, budget);
  const lowDetail = budget.kind === 'openai-tiles' && budget.detail === 'low';
  if (estimator.kind === 'openai-tiles' && lowDetail) return estimator.base;
  return providerTokens(sent, estimator, budget.kind === 'max-pixels' ? budget : qwenProcessorDefaults);
}

/** Tokens if we uploaded the original untouched at high detail: the baseline our resizing is measured against. */
export function originalImageTokens(width: number, height: number, estimator: ImageTokenEstimator): number {
  return providerTokens({ width, height }, estimator, qwenProcessorDefaults);
}

function providerTokens(
  size: Size,
  estimator: ImageTokenEstimator,
  qwenBudget: Extract<ImageBudget, { kind: 'max-pixels' }>,
): number {
  switch (estimator.kind) {
    case 'openai-tiles': {
      const { width, height } = modelImageSize(size.width, size.height, highDetail);
      return estimator.base + estimator.perTile * Math.ceil(width / tileSize) * Math.ceil(height / tileSize);
    }
    case 'openai-patches':
      return Math.ceil(openaiPatchCount(size, estimator.maxPatches) * estimator.multiplier);
    case 'qwen-patches': {
      const { width, height } = modelImageSize(size.width, size.height, qwenBudget);
      return (width / qwenBudget.patch) * (height / qwenBudget.patch) + qwenVisionStartEndTokens;
    }
  }
}

/**
 * OpenAI's documented rule: shrink until the 32 px patch grid fits `maxPatches`, snapping the
 * tighter side to whole patches.
 */
function openaiPatchCount({ width, height }: Size, maxPatches: number): number {
  const patchesAt = (scale: number) =>
    ceilTolerant((width * scale) / openaiPatchSize) * ceilTolerant((height * scale) / openaiPatchSize);
  if (patchesAt(1) <= maxPatches) return patchesAt(1);
  const roughScale = Math.sqrt((openaiPatchSize * openaiPatchSize * maxPatches) / (width * height));
  const snap = (side: number) => {
    const patches = (side * roughScale) / openaiPatchSize;
    return Math.floor(patches) / patches;
  };
  return patchesAt(roughScale * Math.min(snap(width), snap(height)));
}

// The snapped side is a whole number of patches in exact arithmetic; floating point can land a hair above it.
function ceilTolerant(value: number): number {
  return Math.ceil(value - 1e-9);
}
