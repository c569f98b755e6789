import { z } from 'zod';
import { startBatchSchema } from '@/app/api/batches/schema';
import { MAX_BATCH_IMAGES } from '@/lib/batch/types';
import { detailField, imageSourceSchema, modelField } from '@/lib/api/schemas';

/** Larger bodies are refused unread: a batch of many images sends them by URL. */
export const BATCH_BODY_BYTES = 100 * 1024 * 1024;

/** The app's batch (the same prompt and columns), with its images sent along instead of uploaded first. */
export const batchSchema = z
  .object({
    prompt: startBatchSchema.shape.prompt.describe('Asked about every image.'),
    model: modelField,
    detail: detailField,
    columns: startBatchSchema.shape.columns.describe('Optional output columns: each image’s answer becomes one typed value per column (structured output) instead of text.'),
    images: z
      .array(imageSourceSchema)
      .min(1, 'add at least one image')
      .max(MAX_BATCH_IMAGES, `a batch can have at most ${MAX_BATCH_IMAGES} images`)
      .describe(`1 to ${MAX_BATCH_IMAGES} images, by URL or inline (a request body is at most 100 MB: send many images by URL).`),
  })
  .describe('One prompt to run over many images, as a job.');
