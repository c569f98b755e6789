import { imageBudgetFor, imageTokensFor } from '@/lib/ai/budget';
import type { ModelSpec } from '@/lib/ai/catalog';
import { columnsSchema, itemPrompt } from '@/lib/batch/columns';
import type { BatchColumn } from '@/lib/batch/types';
import { cachedModelCall } from '@/lib/jobs/video/model-call';
import { PREPROCESSING_VERSION } from '@/lib/chat/cache-key';
import type { Detail } from '@/lib/media/types';
import { imagePart, preparedUpload } from '@/lib/chat/model-images';

// Bump when the per-image request changes what the model sees: the cache key includes it.
const BATCH_ITEM_VERSION = 1;
// What a model writes back for one image, for the token-per-minute estimate.
const EXPECTED_OUTPUT_TOKENS = 400;

export interface ItemImage {
  id: string;
  sha256: string;
  originalKey: string;
  width: number;
  height: number;
}

export interface BatchRequest {
  model: ModelSpec;
  prompt: string;
  detail: Detail;
  columns: BatchColumn[];
}

export interface ItemAnswer {
  text: string | null;
  result: Record<string, unknown> | null;
  cached: boolean;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
}

/**
 * One image of a batch through the model: from the cache when the same image (by content), prompt,
 * columns and model were asked before — no call, no cost — otherwise through the shared limiter.
 */
export async function analyzeImage(image: ItemImage, req: BatchRequest, signal: AbortSignal): Promise<ItemAnswer> {
  const budget = imageBudgetFor(req.model, req.detail);
  const prompt = itemPrompt(req.prompt, req.columns);
  const schema = req.columns.length > 0 ? columnsSchema(req.columns) : undefined;
  const key = { kind: 'batch-item', v: BATCH_ITEM_VERSION, preprocessing: PREPROCESSING_VERSION, prompt, columns: req.columns, budget, image: image.sha256 };
  const tokens = imageTokensFor(req.model, req.detail, image.width, image.height) + Math.ceil(prompt.length / 4) + EXPECTED_OUTPUT_TOKENS;

  const call = await cachedModelCall(
    req.model,
    key,
    async () => [{ role: 'user', content: [imagePart(await preparedUpload(image, budget), budget), { type: 'text', text: prompt }] }],
    signal,
    { tokens, schema },
  );
  return {
    text: schema ? null : call.text,
    result: schema ? (call.output as Record<string, unknown>) : null,
    cached: !call.live,
    inputTokens: call.inputTokens,
    outputTokens: call.outputTokens,
    costUsd: call.costUsd,
  };
}
