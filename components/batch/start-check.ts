import type { ColumnType } from '@/lib/batch/types';
import type { BatchFile } from '@/components/batch/use-batch-files';

/** Limits of `POST /api/batches`, checked here first so Start can say what is missing (the inputs hold column text to its limits). */
export const MAX_PROMPT_CHARS = 4000;
export const MAX_COLUMN_NAME_CHARS = 40;
export const MAX_COLUMN_DESCRIPTION_CHARS = 200;

/** A column as it is being written; `key` only tells rows apart while names change. */
export interface ColumnDraft {
  key: string;
  name: string;
  type: ColumnType;
  description: string;
}

/** Each column's clash with an earlier one of the same name (names compare without case); null where none. */
export function columnProblems(columns: ColumnDraft[]): (string | null)[] {
  const firstWith = new Map<string, number>();
  return columns.map((c, i) => {
    const name = c.name.trim().toLowerCase();
    if (!name) return null;
    const first = firstWith.get(name);
    if (first === undefined) {
      firstWith.set(name, i);
      return null;
    }
    return `Column ${first + 1} is already named “${columns[first].name.trim()}”.`;
  });
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** Why Start cannot be pressed yet, in the order a person would fix things; null when it can. */
export function startBlocker(state: { files: BatchFile[]; prompt: string; modelId: string | null; columns: ColumnDraft[] }): string | null {
  const { files, prompt, modelId, columns } = state;
  if (files.length === 0) return 'Add the images to analyse.';
  const uploading = files.filter((f) => f.state === 'waiting' || f.state === 'uploading').length;
  if (uploading > 0) return `Waiting for ${plural(uploading, 'upload')} to finish.`;
  if (!files.some((f) => f.state === 'ready')) return 'None of the images could be uploaded. Remove them or add others.';
  const text = prompt.trim();
  if (!text) return 'Write the prompt each image is asked.';
  if (text.length > MAX_PROMPT_CHARS) return `The prompt is ${text.length.toLocaleString('en-US')} characters; the limit is ${MAX_PROMPT_CHARS.toLocaleString('en-US')}.`;
  if (!modelId) return 'Pick a model.';
  const unnamed = columns.findIndex((c) => !c.name.trim());
  if (unnamed >= 0) return `Give column ${unnamed + 1} a name, or remove it.`;
  const twice = columnProblems(columns).findIndex((p) => p !== null);
  if (twice >= 0) return `Two columns are named “${columns[twice].name.trim()}”.`;
  return null;
}
