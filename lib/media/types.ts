/** The image formats we accept, identified by their leading bytes. */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'avif' | 'tiff';

export type Detail = 'low' | 'high' | 'auto';

/**
 * How large an image a model can use, which decides how we resize before sending.
 * - `openai-tiles`: OpenAI's detail rules (low → 512 px box; high → fit 2048² then shortest side 768).
 * - `max-pixels`: Qwen-VL style budget; sides are multiples of `patch` and width×height ≤ maxPixels.
 */
export type ImageBudget =
  | { kind: 'openai-tiles'; detail: Detail }
  | { kind: 'max-pixels'; maxPixels: number; minPixels: number; patch: number };

/** What a model is sent: reproducible from the original bytes plus these settings. */
export interface PreparedImage {
  data: Buffer;
  mediaType: 'image/jpeg' | 'image/png';
  width: number;
  height: number;
}
