import { z } from 'zod';
import { columnTypes, MAX_BATCH_COLUMNS, MAX_BATCH_IMAGES } from '@/lib/batch/types';

const column = z.object({
  name: z.string().trim().min(1, 'a column needs a name').max(40, 'a column name can be at most 40 characters'),
  type: z.enum(columnTypes),
  description: z.string().trim().max(200, 'a column description can be at most 200 characters').optional(),
});

/** 500 image ids, the prompt and the columns, with room to spare. */
export const START_BATCH_BODY_BYTES = 256 * 1024;

export const startBatchSchema = z.object({
  prompt: z.string().trim().min(1, 'write the prompt to run on every image').max(4000, 'the prompt can be at most 4,000 characters'),
  modelId: z.string().min(1),
  detail: z.enum(['low', 'high', 'auto']).default('auto'),
  columns: z
    .array(column)
    .max(MAX_BATCH_COLUMNS, `a batch can have at most ${MAX_BATCH_COLUMNS} columns`)
    .default([])
    .refine((cols) => new Set(cols.map((c) => c.name.toLowerCase())).size === cols.length, 'two columns have the same name'),
  mediaIds: z
    .array(z.uuid())
    .min(1, 'add at least one image')
    .max(MAX_BATCH_IMAGES, `a batch can have at most ${MAX_BATCH_IMAGES} images`)
    .refine((ids) => new Set(ids).size === ids.length, 'the same image is in the batch twice'),
});
