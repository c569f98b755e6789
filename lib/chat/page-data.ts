import { availableModels, defaultModel } from '@/lib/ai/registry';
import { transcriptionModel } from '@/lib/ai/transcription';
import { audioUploadLimits, imageUploadLimits, videoUploadLimits } from '@/lib/config';
import { directUploadsEnabled } from '@/lib/uploads/direct';
import type { ModelSpec } from '@/lib/ai/catalog';

export type ChatUploadLimits = ReturnType<typeof imageUploadLimits> & {
  maxVideoBytes: number;
  /** Videos and recordings go straight from the browser to Vercel Blob rather than through this server. */
  directUploads: boolean;
  maxAudioBytes: number;
  /** A transcription model is configured: without one recordings are refused as they are added. */
  transcription: boolean;
};

/** What every chat page hands to the client: the model list (as data) and the upload limits. */
export async function chatPageData(preferredModelId?: string) {
  const models: ModelSpec[] = await availableModels();
  const fallback = await defaultModel();
  const modelId = models.find((m) => m.id === preferredModelId)?.id ?? fallback?.id ?? null;
  const limits: ChatUploadLimits = {
    ...imageUploadLimits(),
    maxVideoBytes: videoUploadLimits().maxBytes,
    directUploads: directUploadsEnabled(),
    maxAudioBytes: audioUploadLimits().maxBytes,
    // A malformed TRANSCRIPTION_MODEL counts as none (the log says why).
    transcription: transcriptionModel() !== null,
  };
  return { models, modelId, limits };
}
