import { z } from 'zod';
import { comparisonSchema } from '@/lib/chat/comparison-schema';
import { errorStatus, type ErrorCode } from '@/lib/errors';

/**
 * The HTTP API's shapes (/api/v1) that more than one route shares: request fields, answers, jobs,
 * events and the error. They validate requests and type responses, and the OpenAPI document is
 * generated from them (lib/api/openapi.ts), so the documentation cannot drift from the code.
 */

// ---- Requests ---------------------------------------------------------------------------------

export const imageSourceFields = {
  image_url: z
    .url({ protocol: /^https?$/, error: 'image_url must be an http or https URL' })
    .max(4096)
    .optional()
    .describe('An http(s) URL the server fetches the image from. Only public addresses are fetched (no private, loopback, link-local or metadata address, after DNS and on every redirect), within the image size limit and 15 s.'),
  image_base64: z.string().min(1).optional().describe('The image file itself, base64-encoded (a `data:image/…;base64,` prefix is allowed).'),
};

/** Exactly one of the two: checked at run time, and stated in the document (a refinement has no JSON Schema). */
export function withOneImageSource<T extends z.ZodObject<typeof imageSourceFields>>(schema: T) {
  return schema
    .superRefine((value, ctx) => {
      if ((value.image_url === undefined) === (value.image_base64 === undefined)) {
        ctx.addIssue({ code: 'custom', message: 'send exactly one of image_url and image_base64' });
      }
    })
    .meta({ oneOf: [{ required: ['image_url'] }, { required: ['image_base64'] }] });
}

export const imageSourceSchema = withOneImageSource(z.object(imageSourceFields)).describe('One image: by URL or inline as base64.');

export type ImageSource = z.infer<typeof imageSourceSchema>;

export const promptField = z.string().trim().min(1, 'write the question to ask about the image').max(20_000, 'a prompt can be at most 20,000 characters');
export const modelField = z.string().min(1).optional().describe('A model id, e.g. `openai:gpt-4o-mini` (see the app’s model picker); the server’s default model when absent.');
export const detailField = z
  .enum(['low', 'high', 'auto'])
  .default('auto')
  .describe('How much of the image the model sees: `low` is cheapest, `high` keeps fine detail, `auto` lets the model decide.');
export const MAX_TOKENS = 100_000;
export const maxTokensField = z.int().min(1).max(MAX_TOKENS).describe('At most this many tokens of answer; the model’s own limit when absent.');
export const streamField = z.boolean().default(false).describe('`true` answers as Server-Sent Events (see the response’s `text/event-stream`).');

// ---- Answers ----------------------------------------------------------------------------------

const errorCodes = Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]];

export const errorSchema = z
  .object({
    error: z.object({
      code: z.enum(errorCodes).describe('Stable, for programs: one code per kind of failure.'),
      message: z.string().describe('For people: what was wrong, with the value and the limit where there is one.'),
    }),
  })
  .describe('Every failure, whatever the endpoint.');

export const usageSchema = z
  .object({
    input_tokens: z.int().min(0),
    output_tokens: z.int().min(0),
    cost_usd: z.number().min(0).nullable().describe('null when the model’s price is unknown (a local server); 0 for an answer from the cache.'),
  })
  .describe('What the answer took. For a cached answer, the tokens it took when it was made.');

const answerFields = {
  id: z.uuid().describe('The conversation the question and its answer are stored in; it shows in the key owner’s history.'),
  model: z.string().describe('The model that wrote the answer (a fallback model when the asked one failed).'),
  usage: usageSchema,
  cached: z.boolean().describe('true when the same question about the same image(s) and model was answered before: no model was called.'),
};

export const analysisResultSchema = z.object({ ...answerFields, result: z.string().describe('The answer, in Markdown.') });
export type AnalysisResult = z.infer<typeof analysisResultSchema>;

export const comparisonResultSchema = z.object({ ...answerFields, result: comparisonSchema.describe('The comparison: what the images share, how they differ (one value per image), and a recommendation when the prompt asks for one.') });
export type ComparisonResult = z.infer<typeof comparisonResultSchema>;

// ---- Answer events (`stream: true`) -----------------------------------------------------------

export const startEventSchema = z.object({ id: answerFields.id }).describe('First event: the id the answer is stored under.');
export const deltaEventSchema = z.object({ text: z.string() }).describe('The next piece of the answer’s text; the pieces joined are `result`.');
export const partialEventSchema = z
  .object({
    similarities: z.array(z.string()),
    differences: z.array(z.object({ aspect: z.string(), values: z.array(z.string()) })),
    recommendation: z.object({ choice: z.int().nullable(), reason: z.string() }).nullable(),
  })
  .describe('The comparison so far (well-typed parts only); each one replaces the previous.');
export const retryEventSchema = z.object({ attempt: z.int().min(2) }).describe('The model’s comparison was malformed and is asked for again: discard the partial one.');

// ---- Jobs -------------------------------------------------------------------------------------

const jobStatusSchema = z.enum(['queued', 'running', 'succeeded', 'failed', 'canceled']);

const jobFields = {
  id: z.uuid(),
  status: jobStatusSchema,
  progress: z.number().min(0).max(1).describe('0 to 1, over the whole job.'),
  error: z.string().nullable().describe('Why the job failed, for people.'),
  created_at: z.iso.datetime(),
};

const timedTextSchema = z.object({ start_ms: z.int().min(0), end_ms: z.int().min(0), text: z.string() });

const transcriptSchema = z
  .object({
    language: z.string().nullable().describe('The spoken language as an ISO 639 code ("en"), however the transcription server spelled it; null when it did not say.'),
    text: z.string(),
    segments: z.array(timedTextSchema),
  })
  .nullable()
  .describe('null until transcribed (and for a video without sound, or without a transcription model).');

export const videoJobSchema = z.object({
  ...jobFields,
  kind: z.literal('video'),
  stage: z.string().describe('probe, frames, captions, summary, transcript, playback, done'),
  filename: z.string(),
  duration_ms: z.int().min(0),
  summary: z.string().nullable(),
  scenes: z
    .array(z.object({ index: z.int().min(0), start_ms: z.int().min(0), end_ms: z.int().min(0), caption: z.string().nullable(), speech: z.string().nullable() }))
    .describe('The timeline: scenes as they are captioned, with what is said in each once the sound is transcribed.'),
  transcript: transcriptSchema,
});

export const recordingJobSchema = z.object({
  ...jobFields,
  kind: z.literal('recording'),
  stage: z.string().describe('probe, transcript, playback, done'),
  filename: z.string(),
  duration_ms: z.int().min(0),
  transcript: transcriptSchema,
});

const columnValueSchema = z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.null()]);

export const batchJobSchema = z.object({
  ...jobFields,
  kind: z.literal('batch'),
  prompt: z.string(),
  model: z.string(),
  counts: z.object({ total: z.int(), pending: z.int(), running: z.int(), succeeded: z.int(), failed: z.int(), cached: z.int() }),
  cost_usd: z.number().nullable(),
  items: z
    .array(
      z.object({
        index: z.int().min(0),
        filename: z.string(),
        status: z.enum(['pending', 'running', 'succeeded', 'failed']),
        text: z.string().nullable().describe('The answer, for a batch without columns.'),
        result: z.record(z.string(), columnValueSchema).nullable().describe('One value per column, for a batch with columns.'),
        error: z.string().nullable(),
        cached: z.boolean(),
      }),
    )
    .describe('Every image, in the order sent, each with its own answer or error as soon as it has one.'),
});

export const comparisonJobSchema = z.object({
  ...jobFields,
  id: answerFields.id,
  kind: z.literal('comparison'),
  prompt: z.string(),
  model: z.string().describe('The model asked; once the comparison is done, the one that wrote it (a fallback when the asked one failed).'),
  result: comparisonResultSchema.shape.result.nullable().describe('The comparison, once the job has succeeded.'),
  usage: usageSchema.nullable().describe('null until the job has ended.'),
  cached: z.boolean().describe('true when the same comparison was made before: no model was called.'),
});

export type ComparisonJob = z.infer<typeof comparisonJobSchema>;

export const jobSchema = z
  .discriminatedUnion('kind', [videoJobSchema, recordingJobSchema, batchJobSchema, comparisonJobSchema])
  .describe('A video, a recording, a batch or a comparison, told apart by `kind`.');
export type Job = z.infer<typeof jobSchema>;

/** The progress events of a video or a recording (lib/jobs/events.ts): one whenever something changed. */
export const mediaProgressEventSchema = z.object({
  status: jobStatusSchema,
  stage: z.string(),
  progress: z.number().min(0).max(1),
  error: z.string().nullable().describe('Why the job failed; while `status` is queued after a failed attempt, why that attempt failed.'),
  retry: z.int().min(0).describe('Which retry of a failed attempt this is (0: the first try); progress never moves back on a retry.'),
  retries: z.int().min(0).describe('How many retries a transient failure gets; a permanent one (a bad key, an unknown model) fails the job at once.'),
  scenes: z.int().min(0).optional().describe('A video’s scenes so far.'),
});

/** A comparison's progress events (lib/api/comparison-job.ts): running, then how it ended. */
export const comparisonProgressEventSchema = z.object({ status: jobStatusSchema, progress: z.number().min(0).max(1), error: z.string().nullable() });
export type ComparisonProgressEvent = z.infer<typeof comparisonProgressEventSchema>;

/** A batch's progress events (lib/batch/events.ts): the batch and the images that changed since the last event, all of them first. */
export const batchProgressEventSchema = z.object({
  batch: z.looseObject({
    id: z.uuid(),
    status: z.enum(['queued', 'running', 'completed', 'canceled', 'failed']),
    counts: z.object({ total: z.int(), pending: z.int(), running: z.int(), succeeded: z.int(), failed: z.int() }),
    etaSeconds: z.number().nullable(),
  }),
  items: z.array(z.looseObject({ index: z.int().min(0), status: z.enum(['pending', 'running', 'succeeded', 'failed']), text: z.string().nullable(), error: z.string().nullable() })),
});

// ---- Others -----------------------------------------------------------------------------------

/** GET /api/v1/me (app/api/v1/me/route.ts). */
export const meSchema = z.object({
  user: z.object({ id: z.string(), email: z.string() }),
  key: z.object({ id: z.uuid(), name: z.string(), prefix: z.string().describe('The key’s first characters after `glk_`, to tell keys apart.') }),
  usage: z.object({ requestsToday: z.int().min(1).describe('Requests with this key since midnight UTC, this one included.') }),
});

/** GET /api/health (app/api/health/route.ts): no key needed. */
export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.enum(['ok', 'error']),
  storage: z.object({ status: z.enum(['ok', 'error']), backend: z.string() }),
  models: z.object({ available: z.int().min(0), default: z.string().nullable() }),
});
