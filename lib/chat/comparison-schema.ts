import { z } from 'zod';

/** Bump when the schema or the comparison instructions change: cached comparisons of another shape are not reused. */
export const COMPARISON_SCHEMA_VERSION = 1;

/** Images a comparison takes: fewer is not a comparison, more do not fit a table anyone can read. */
export const COMPARE_IMAGES = { min: 2, max: 10 } as const;

/** The question sent when the person compares without writing one. */
export const DEFAULT_COMPARE_QUESTION = 'Compare these images';

/**
 * What the model must answer. Every field is required (nullable where it may be absent) because
 * strict structured-output modes (OpenAI, vLLM) accept nothing else.
 */
export const comparisonSchema = z.object({
  similarities: z.array(z.string()).describe('What all the images have in common, one short point per entry.'),
  differences: z
    .array(
      z.object({
        aspect: z.string().describe('What differs, in a few words, e.g. "Lighting".'),
        values: z.array(z.string()).describe('This aspect in each image: exactly one short entry per image, in the order the images were given.'),
      }),
    )
    .describe('The ways the images differ, one entry per aspect.'),
  recommendation: z
    .object({
      choice: z.int().nullable().describe('The recommended image by its number (1 for the first image), or null when none can be recommended.'),
      reason: z.string().describe('Why, in one or two sentences.'),
    })
    .nullable()
    .describe('Only when the question asks which image to pick or for a recommendation; otherwise null.'),
});

export type Comparison = z.infer<typeof comparisonSchema>;

/** What the table can show of a comparison still being written: whatever has arrived, well-typed. */
export interface PartialComparison {
  similarities: string[];
  differences: { aspect: string; values: string[] }[];
  recommendation: { choice: number | null; reason: string } | null;
}

/**
 * The `data-comparison` part of an assistant message. One part (one id) is updated in place:
 * `streaming` while the object arrives, `retrying` when a malformed answer is being asked for
 * again (the table starts over), then `complete`, or `error` (no table: the error says why).
 */
export type ComparisonData =
  | ({ state: 'streaming' } & PartialComparison)
  | ({ state: 'complete' } & Comparison)
  | { state: 'retrying'; attempt: number }
  | { state: 'error' };

/** Marks the question of a comparison, so regenerating it compares again; the UI shows nothing for it. */
export type CompareMarker = Record<string, never>;

export const isComparisonQuestion = (parts: readonly { type: string }[]) => parts.some((p) => p.type === 'data-compare');

/** An image of a compared question, as the page shows it (the owner's, a share link's or the admin's URL). */
export interface ComparedImage {
  url: string;
  filename?: string;
}

/** The images a comparison answer is about: its question's, when the question asked for a comparison; else null. */
export function comparedImagesOf(question: { role: string; parts: readonly { type: string; url?: string; filename?: string }[] } | undefined): ComparedImage[] | null {
  if (question?.role !== 'user' || !isComparisonQuestion(question.parts)) return null;
  return question.parts.flatMap((p) => (p.type === 'file' && p.url ? [{ url: p.url, filename: p.filename }] : []));
}

/**
 * A comparison that fits the images it is about, or why it does not. The schema cannot say "one
 * value per image" or "a choice among the images" (the count varies), so a well-formed answer
 * that breaks either is as malformed as broken JSON.
 */
export function parseComparison(value: unknown, imageCount: number): { ok: true; comparison: Comparison } | { ok: false; problem: string } {
  const parsed = comparisonSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, problem: `${issue.path.join('.') || 'answer'}: ${issue.message}` };
  }
  const comparison = parsed.data;
  const uneven = comparison.differences.findIndex((d) => d.values.length !== imageCount);
  if (uneven >= 0) {
    const values = comparison.differences[uneven].values.length;
    return { ok: false, problem: `differences.${uneven}.values has ${values} entries for ${imageCount} images` };
  }
  const choice = comparison.recommendation?.choice;
  if (choice != null && (choice < 1 || choice > imageCount)) {
    return { ok: false, problem: `recommendation.choice is ${choice}, not an image between 1 and ${imageCount}` };
  }
  return { ok: true, comparison };
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/**
 * The well-typed part of an object still being streamed (partial JSON, not validated): anything
 * of the wrong type is left out rather than shown, so the table never renders a model's garbage.
 */
export function partialComparison(value: unknown): PartialComparison {
  const object = (value ?? {}) as Record<string, unknown>;
  const differences = Array.isArray(object.differences) ? (object.differences as unknown[]) : [];
  const recommendation = object.recommendation as Record<string, unknown> | null | undefined;
  return {
    similarities: strings(object.similarities),
    differences: differences.flatMap((d) => {
      const row = (d ?? {}) as Record<string, unknown>;
      return typeof row.aspect === 'string' ? [{ aspect: row.aspect, values: strings(row.values) }] : [];
    }),
    recommendation:
      recommendation && typeof recommendation === 'object' && typeof recommendation.reason === 'string'
        ? { choice: typeof recommendation.choice === 'number' ? recommendation.choice : null, reason: recommendation.reason }
        : null,
  };
}

/** A stored comparison in words, so a follow-up question's model sees what was concluded. */
export function comparisonAsText(comparison: Comparison): string {
  const lines = [
    'Comparison of the images (numbered in the order given):',
    ...comparison.similarities.map((s) => `- Same in all: ${s}`),
    ...comparison.differences.map((d) => `- ${d.aspect}: ${d.values.map((v, i) => `image ${i + 1}: ${v}`).join('; ')}`),
  ];
  const rec = comparison.recommendation;
  if (rec) lines.push(rec.choice === null ? `Recommendation: none. ${rec.reason}` : `Recommendation: image ${rec.choice}. ${rec.reason}`);
  return lines.join('\n');
}
