import { createHash } from 'node:crypto';
import type { ImageBudget } from '@/lib/media/types';

/** Bump when preprocessing changes in a way that changes what the model sees. */
export const PREPROCESSING_VERSION = 1;

export interface CacheKeyInput {
  modelId: string;
  /** The system prompt: a different one can give a different answer. */
  instructions: string;
  budget: ImageBudget;
  /** The question and everything before it, with images as content hashes, in order. */
  turns: { role: 'user' | 'assistant'; text: string; imageHashes: string[] }[];
  /** A cap on the answer's length: a capped answer is not the whole one. */
  maxOutputTokens?: number;
}

/**
 * Two requests share an answer only when the model, its instructions, the preprocessing, the images (by content,
 * not by id or filename) and the whole conversation so far are identical.
 */
export function answerCacheKey(input: CacheKeyInput): string {
  const canonical = JSON.stringify({
    v: PREPROCESSING_VERSION,
    model: input.modelId,
    instructions: input.instructions,
    budget: input.budget,
    turns: input.turns.map((t) => [t.role, t.text, t.imageHashes]),
    // Only when set, so answers cached before caps existed keep their keys.
    ...(input.maxOutputTokens === undefined ? {} : { maxOutputTokens: input.maxOutputTokens }),
  });
  return createHash('sha256').update(canonical).digest('hex');
}
