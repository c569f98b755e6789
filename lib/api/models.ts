import type { ModelSpec } from '@/lib/ai/catalog';
import { availableModels, defaultModel, findModel } from '@/lib/ai/registry';
import { AppError } from '@/lib/errors';

/** The model a request names, or the server's default; a 400 for one this server does not have, a 503 when it has none. */
export async function requestedModel(id: string | undefined): Promise<ModelSpec> {
  const model = id === undefined ? await defaultModel() : await findModel(id);
  if (model) return model;
  const available = await availableModels();
  if (available.length === 0) throw new AppError('model_unavailable', 'No model is configured on this server; its administrator has to set one up.');
  throw new AppError('bad_request', `The model "${id}" is not available on this server. Available: ${available.map((m) => m.id).join(', ')}.`);
}
