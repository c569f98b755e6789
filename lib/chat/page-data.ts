import { availableModels, defaultModel } from '@/lib/ai/registry';
import { imageUploadLimits } from '@/lib/config';
import type { ModelSpec } from '@/lib/ai/catalog';

/** What every chat page hands to the client: the model list (as data) and the upload limits. */
export async function chatPageData(preferredModelId?: string) {
  const models: ModelSpec[] = await availableModels();
  const fallback = await defaultModel();
  const modelId = models.find((m) => m.id === preferredModelId)?.id ?? fallback?.id ?? null;
  return { models, modelId, limits: imageUploadLimits() };
}
