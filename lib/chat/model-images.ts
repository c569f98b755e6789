import { prepareForModel } from '@/lib/media/image';
import { preparedOnce } from '@/lib/media/prepared-cache';
import type { ImageBudget, PreparedImage } from '@/lib/media/types';
import { getBlobStore } from '@/lib/storage';

interface StoredImage {
  id: string;
  sha256: string;
  originalKey: string;
}

/** An upload's original bytes. A row without its blob is a broken invariant, not something a person did. */
export async function originalOf(media: Pick<StoredImage, 'id' | 'originalKey'>): Promise<Buffer> {
  const original = await getBlobStore().get(media.originalKey);
  if (!original) throw new Error(`original of media ${media.id} is missing from storage (${media.originalKey})`);
  return original;
}

/** An upload as the model is sent it under `budget`: re-derived from the original, once per content and budget. */
export function preparedUpload(media: StoredImage, budget: ImageBudget): Promise<PreparedImage> {
  return preparedOnce(media.sha256, budget, async () => prepareForModel(await originalOf(media), budget));
}

/** A prepared image as a message part. OpenAI reads the detail level from the part; other providers ignore it. */
export function imagePart(prepared: PreparedImage, budget: ImageBudget) {
  const providerOptions = budget.kind === 'openai-tiles' ? { openai: { imageDetail: budget.detail } } : undefined;
  return { type: 'file' as const, data: new Uint8Array(prepared.data), mediaType: prepared.mediaType, providerOptions };
}
