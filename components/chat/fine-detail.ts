import { imageBudgetFor, imageTokensFor } from '@/lib/ai/budget';
import type { ModelSpec } from '@/lib/ai/catalog';
import type { Size } from '@/lib/media/resize';
import { planTiles, type TilePlan } from '@/lib/media/tile-plan';
import type { Detail } from '@/lib/media/types';

/** Fine detail as the composer offers it for one image: its tiles and what reading them costs. */
export interface FineDetailOffer {
  plan: TilePlan;
  /** Input tokens of the tiles alone. */
  tileTokens: number;
  /** Image input tokens with fine detail: the tiles, plus the whole image the answer is written from. */
  tokens: number;
}

/** Null when the model reads the image well enough whole (lib/media/tile-plan.ts decides, as the server does). */
export function fineDetailOffer(model: ModelSpec, detail: Detail, image: Size): FineDetailOffer | null {
  const plan = planTiles(image, imageBudgetFor(model, detail));
  if (!plan) return null;
  const tileTokens = plan.tiles.reduce((sum, tile) => sum + imageTokensFor(model, detail, tile.width, tile.height), 0);
  return { plan, tileTokens, tokens: imageTokensFor(model, detail, image.width, image.height) + tileTokens };
}

/** What the toggle says the image is cut into, and why so many when capped. */
export function describeTiles(plan: TilePlan): string {
  const read = plan.capped
    ? `at most ${plan.tiles.length} parts, each read at ${Math.round(plan.scale * 100)} % of full size`
    : `${plan.tiles.length} overlapping parts at full resolution`;
  return `Read this image in ${read}, one model call each, then answer from all of them. For small print in long screenshots, documents and panoramas.`;
}
