import { z } from 'zod';
import { detailField, imageSourceFields, maxTokensField, modelField, promptField, streamField, withOneImageSource } from '@/lib/api/schemas';

export const analyzeImageSchema = withOneImageSource(
  z.object({
    ...imageSourceFields,
    prompt: promptField.describe('The question about the image.'),
    model: modelField,
    detail: detailField,
    max_tokens: maxTokensField.optional(),
    stream: streamField,
  }),
).describe('One image (by URL or inline) and a question about it.');
