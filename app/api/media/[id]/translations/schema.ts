import { z } from 'zod';
import { MAX_LANGUAGE_CHARS } from '@/lib/ai/translation';

/** The language as the person names it: "French", "pt-BR", "Simplified Chinese". */
export const translationRequest = z.object({
  language: z
    .string()
    .trim()
    .min(1, 'Name the language to translate into.')
    .max(MAX_LANGUAGE_CHARS, `Name the language in at most ${MAX_LANGUAGE_CHARS} characters.`)
    .regex(/^[\p{L}\p{M}][\p{L}\p{M}\p{N} ()'-]*$/u, 'Name the language in letters, e.g. French or pt-BR.'),
});
