import { z } from 'zod';

/** The language as the person names it: "French", "pt-BR", "Simplified Chinese". */
export const translationRequest = z.object({
  language: z
    .string()
    .trim()
    .min(1, 'Name the language to translate into.')
    .max(60, 'Name the language in at most 60 characters.')
    .regex(/^[\p{L}\p{M}][\p{L}\p{M}\p{N} ()'-]*$/u, 'Name the language in letters, e.g. French or pt-BR.'),
});
