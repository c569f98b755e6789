import { z } from 'zod';
import { COMPARE_IMAGES, DEFAULT_COMPARE_QUESTION } from '@/lib/chat/comparison-schema';
import { detailField, imageSourceSchema, modelField, promptField, streamField } from '@/lib/api/schemas';

const { min, max } = COMPARE_IMAGES;

export const compareSchema = z
  .object({
    images: z
      .array(imageSourceSchema)
      .min(min, `a comparison takes ${min} to ${max} images`)
      .max(max, `a comparison takes ${min} to ${max} images`)
      .describe(`${min} to ${max} images, numbered 1, 2, 3… in this order.`),
    prompt: promptField.default(DEFAULT_COMPARE_QUESTION).describe('What to compare; ask which to pick to get a recommendation.'),
    model: modelField,
    detail: detailField,
    stream: streamField.describe('`true` answers as Server-Sent Events as the comparison is written; otherwise the comparison starts as a job (202) to follow with `GET /api/v1/jobs/{id}`.'),
  })
  .describe('Images to compare, and what to compare about them.');
