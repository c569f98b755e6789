import { z } from 'zod';
import type { BatchColumn, ColumnType } from '@/lib/batch/types';

const valueSchema: Record<ColumnType, () => z.ZodType> = {
  text: () => z.string(),
  number: () => z.number(),
  boolean: () => z.boolean(),
  list: () => z.array(z.string()),
};

/**
 * The structured answer a batch with columns asks every image for. Each value may be null: a model
 * forced to fill a column the image gives no answer to would make one up.
 */
export function columnsSchema(columns: BatchColumn[]) {
  return z.object(
    Object.fromEntries(
      columns.map((c) => {
        const value = valueSchema[c.type]().nullable();
        return [c.name, c.description ? value.describe(c.description) : value];
      }),
    ),
  );
}

/** The prompt sent with each image: the person's own, plus what the columns mean when there are any. */
export function itemPrompt(prompt: string, columns: BatchColumn[]): string {
  if (columns.length === 0) return prompt;
  const fields = columns.map((c) => `- ${c.name} (${c.type === 'list' ? 'list of text' : c.type})${c.description ? `: ${c.description}` : ''}`);
  return `${prompt}\n\nAnswer for this one image with these fields (null when the image does not tell):\n${fields.join('\n')}`;
}
