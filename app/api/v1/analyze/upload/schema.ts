import { z } from 'zod';
import { detailField, MAX_TOKENS, maxTokensField, modelField, promptField } from '@/lib/api/schemas';

/** The fields of analyze/image, as multipart/form-data sends them: the file itself, and text for the rest. */
export const analyzeUploadSchema = z
  .object({
    file: z.file().describe('The image file: JPEG, PNG, WebP, GIF, AVIF or TIFF, checked by its content.'),
    prompt: promptField.describe('The question about the image.'),
    model: modelField,
    detail: detailField,
    max_tokens: z.coerce.number().int().min(1).max(MAX_TOKENS).optional().describe(maxTokensField.description ?? ''),
    stream: z.enum(['true', 'false']).default('false').describe('`true` answers as Server-Sent Events.'),
  })
  .describe('One image file and a question about it, as multipart/form-data.');
