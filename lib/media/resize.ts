import { AppError } from '@/lib/errors';
import type { ImageBudget } from './types';

// Pure arithmetic: the browser imports this to show the size (and token cost) before uploading.

export interface Size {
  width: number;
  height: number;
}

const lowDetailBox = 512;
const highDetailBox = 2048;
const highDetailShortSide = 768;
// Qwen's processor refuses anything more elongated than this.
const maxQwenAspectRatio = 200;

/** The size a model actually looks at, so we never upload pixels the provider would throw away. */
export function modelImageSize(width: number, height: number, budget: ImageBudget): Size {
  if (budget.kind === 'max-pixels') return smartResize(width, height, budget);
  // OpenAI's `auto` picks high detail for large images, and the high-detail rules leave a small one
  // untouched, so treating auto as high sends the right pixels and never underestimates the cost.
  if (budget.detail === 'low') return scaleBy(width, height, fitScale(width, height, lowDetailBox));
  const fitted = fitScale(width, height, highDetailBox);
  const shortSide = Math.min(width, height) * fitted;
  return scaleBy(width, height, fitted * Math.min(1, highDetailShortSide / shortSide));
}

function fitScale(width: number, height: number, box: number): number {
  return Math.min(1, box / Math.max(width, height));
}

function scaleBy(width: number, height: number, scale: number): Size {
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * A port of Qwen2.5-VL's `smart_resize` (qwen-vl-utils): both sides become multiples of `patch`
 * and the area lands within [minPixels, maxPixels] while keeping the aspect ratio close.
 */
function smartResize(width: number, height: number, budget: Extract<ImageBudget, { kind: 'max-pixels' }>): Size {
  const { maxPixels, minPixels, patch } = budget;
  if (Math.max(width, height) / Math.min(width, height) > maxQwenAspectRatio) {
    throw new AppError(
      'bad_request',
      `This image is ${width} × ${height}, more elongated than ${maxQwenAspectRatio}:1; ` +
        'crop it closer to square first',
    );
  }
  let h = Math.max(patch, roundHalfToEven(height / patch) * patch);
  let w = Math.max(patch, roundHalfToEven(width / patch) * patch);
  if (h * w > maxPixels) {
    const beta = Math.sqrt((height * width) / maxPixels);
    h = Math.max(patch, Math.floor(height / beta / patch) * patch);
    w = Math.max(patch, Math.floor(width / beta / patch) * patch);
  } else if (h * w < minPixels) {
    const beta = Math.sqrt(minPixels / (height * width));
    h = Math.ceil((height * beta) / patch) * patch;
    w = Math.ceil((width * beta) / patch) * patch;
  }
  return { width: w, height: h };
}

/** Python's `round()`: ties go to the even neighbour, so 2.5 → 2 (Math.round would give 3 and a different size). */
function roundHalfToEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction !== 0.5) return Math.round(value);
  return floor % 2 === 0 ? floor : floor + 1;
}
