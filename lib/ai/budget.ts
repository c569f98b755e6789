import type { ModelSpec } from '@/lib/ai/catalog';
import { estimateImageTokens } from '@/lib/ai/image-tokens';
import type { Detail, ImageBudget } from '@/lib/media/types';

/** The resize rule for one model and detail level. Pure: the browser uses it for estimates too. */
export function imageBudgetFor(model: Pick<ModelSpec, 'imageSizing'>, detail: Detail): ImageBudget {
  const sizing = model.imageSizing;
  if (sizing.kind === 'openai-detail') return { kind: 'openai-tiles', detail };
  return { kind: 'max-pixels', maxPixels: sizing.maxPixels, minPixels: sizing.minPixels, patch: sizing.patch };
}

export function imageTokensFor(model: Pick<ModelSpec, 'imageSizing' | 'imageTokens'>, detail: Detail, width: number, height: number): number {
  return estimateImageTokens(width, height, model.imageTokens, imageBudgetFor(model, detail));
}

export function costUsd(model: Pick<ModelSpec, 'price'>, inputTokens: number, outputTokens: number): number | null {
  if (!model.price) return null;
  return (inputTokens * model.price.input + outputTokens * model.price.output) / 1_000_000;
}
