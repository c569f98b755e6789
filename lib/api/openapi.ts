import { z } from 'zod';
import { analyzeImageSchema } from '@/app/api/v1/analyze/image/schema';
import { analyzeUploadSchema } from '@/app/api/v1/analyze/upload/schema';
import { analyzeVideoQuery } from '@/app/api/v1/analyze/video/schema';
import { batchSchema } from '@/app/api/v1/batch/schema';
import { compareSchema } from '@/app/api/v1/compare/schema';
import { jobParams } from '@/app/api/v1/jobs/[id]/schema';
import { transcribeQuery } from '@/app/api/v1/transcribe/schema';
import { errorStatus, type ErrorCode } from '@/lib/errors';
import {
  analysisResultSchema,
  batchJobSchema,
  batchProgressEventSchema,
  comparisonJobSchema,
  comparisonProgressEventSchema,
  comparisonResultSchema,
  deltaEventSchema,
  errorSchema,
  healthSchema,
  imageSourceSchema,
  jobSchema,
  mediaProgressEventSchema,
  meSchema,
  partialEventSchema,
  recordingJobSchema,
  retryEventSchema,
  startEventSchema,
  usageSchema,
  videoJobSchema,
} from '@/lib/api/schemas';
import { HEARTBEAT_MS } from '@/lib/api/sse';

/**
 * The OpenAPI 3.1 document of the HTTP API, generated from the zod schemas the routes validate with
 * and type their answers by (z.toJSONSchema, JSON Schema 2020-12 as OpenAPI 3.1 uses): what is
 * written here is only what a schema cannot say — paths, which schema goes where, the error codes
 * each endpoint can answer, the events of each stream, and curl examples.
 */

type Json = Record<string, unknown>;

// Requests are documented as a program sends them (defaults optional), answers as the server sends them.
const requestSchemas = z.registry<{ id: string }>();
const responseSchemas = z.registry<{ id: string }>();

for (const [schema, id] of [
  [imageSourceSchema, 'ImageSource'],
  [analyzeImageSchema, 'AnalyzeImageRequest'],
  [analyzeUploadSchema, 'AnalyzeUploadRequest'],
  [compareSchema, 'CompareRequest'],
  [batchSchema, 'BatchRequest'],
] as const) {
  requestSchemas.add(schema, { id });
}
for (const [schema, id] of [
  [errorSchema, 'Error'],
  [usageSchema, 'Usage'],
  [analysisResultSchema, 'AnalysisResult'],
  [comparisonResultSchema, 'ComparisonResult'],
  [startEventSchema, 'StartEvent'],
  [deltaEventSchema, 'DeltaEvent'],
  [partialEventSchema, 'PartialComparisonEvent'],
  [retryEventSchema, 'RetryEvent'],
  [jobSchema, 'Job'],
  [videoJobSchema, 'VideoJob'],
  [recordingJobSchema, 'RecordingJob'],
  [batchJobSchema, 'BatchJob'],
  [comparisonJobSchema, 'ComparisonJob'],
  [mediaProgressEventSchema, 'MediaProgressEvent'],
  [batchProgressEventSchema, 'BatchProgressEvent'],
  [comparisonProgressEventSchema, 'ComparisonProgressEvent'],
  [meSchema, 'Me'],
  [healthSchema, 'Health'],
] as const) {
  responseSchemas.add(schema, { id });
}

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

type Body = { kind: 'json' | 'multipart'; schema: string } | { kind: 'binary'; description: string };

interface Ok {
  status: 200 | 202;
  description: string;
  json?: string;
  events?: Record<string, string | string[]>;
}

interface Operation {
  method: 'get' | 'post';
  path: string;
  operationId: string;
  tag: 'Analysis' | 'Jobs' | 'Account';
  summary: string;
  description: string;
  /** false: no key needed. */
  auth?: false;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: Body;
  /** Two when the request chooses (e.g. a job, or its answer as events). */
  ok: Ok | Ok[];
  /** Beyond 401 and 429, which every call with a key can get. */
  errors: ErrorCode[];
  curl: string;
}

const answerEvents = (result: string, pieces: Record<string, string>) => ({ start: 'StartEvent', ...pieces, result, error: 'Error' });

const jsonCurl = (path: string, body: object, stream = false) =>
  [`curl${stream ? ' -N' : ''} "$GLIMPSE_URL${path}"`, '  -H "Authorization: Bearer $GLIMPSE_KEY"', '  -H "Content-Type: application/json"', `  -d '${JSON.stringify(body)}'`].join(' \\\n');

const operations: Operation[] = [
  {
    method: 'post',
    path: '/api/v1/analyze/image',
    operationId: 'analyzeImage',
    tag: 'Analysis',
    summary: 'Ask about an image (by URL or base64)',
    description:
      'Stores the image as your upload and the question as a new conversation in your history, then answers it. ' +
      'The same question about the same image with the same model is answered from the cache (`cached: true`). ' +
      'With `stream: true` the answer arrives as Server-Sent Events as it is written.',
    body: { kind: 'json', schema: 'AnalyzeImageRequest' },
    ok: { status: 200, description: 'The answer.', json: 'AnalysisResult', events: answerEvents('AnalysisResult', { delta: 'DeltaEvent' }) },
    errors: ['bad_request', 'empty_file', 'too_large', 'too_many_pixels', 'unsupported_type', 'corrupt_file', 'model_error', 'model_unavailable'],
    curl: jsonCurl('/api/v1/analyze/image', { image_url: 'https://upload.wikimedia.org/wikipedia/commons/3/3f/Fronalpstock_big.jpg', prompt: 'What is in this picture?' }),
  },
  {
    method: 'post',
    path: '/api/v1/analyze/upload',
    operationId: 'analyzeUpload',
    tag: 'Analysis',
    summary: 'Ask about an image file (multipart upload)',
    description: 'Like `analyze/image`, with the image sent as a file in multipart/form-data.',
    body: { kind: 'multipart', schema: 'AnalyzeUploadRequest' },
    ok: { status: 200, description: 'The answer.', json: 'AnalysisResult', events: answerEvents('AnalysisResult', { delta: 'DeltaEvent' }) },
    errors: ['bad_request', 'empty_file', 'too_large', 'too_many_pixels', 'unsupported_type', 'corrupt_file', 'model_error', 'model_unavailable'],
    curl: 'curl -N "$GLIMPSE_URL/api/v1/analyze/upload" \\\n  -H "Authorization: Bearer $GLIMPSE_KEY" \\\n  -F file=@photo.jpg -F prompt="What is in this picture?" -F stream=true',
  },
  {
    method: 'post',
    path: '/api/v1/compare',
    operationId: 'compare',
    tag: 'Jobs',
    summary: 'Compare 2 to 10 images (starts a job, or streams)',
    description:
      'A structured comparison: what the images share, each difference with one value per image, and a recommendation when the prompt asks which to pick. ' +
      'It starts as a job (202): follow it with `GET /api/v1/jobs/{id}` (or its `/events`) until `status` is `succeeded` and `result` holds the table. ' +
      'With `stream: true` the same comparison arrives as Server-Sent Events instead, partial tables first. ' +
      'A malformed answer from the model is asked for once more (a `retry` event when streaming). Stored in your history and cached like any answer.',
    body: { kind: 'json', schema: 'CompareRequest' },
    ok: [
      { status: 202, description: 'The comparison, started. `Location` is where to follow it.', json: 'ComparisonJob' },
      { status: 200, description: 'With `stream: true`: the comparison as it is written.', events: answerEvents('ComparisonResult', { partial: 'PartialComparisonEvent', retry: 'RetryEvent' }) },
    ],
    errors: ['bad_request', 'empty_file', 'too_large', 'too_many_pixels', 'unsupported_type', 'corrupt_file', 'model_error', 'model_unavailable'],
    curl: jsonCurl('/api/v1/compare', {
      images: [{ image_url: 'https://example.com/chair-a.jpg' }, { image_url: 'https://example.com/chair-b.jpg' }],
      prompt: 'Which chair suits a small flat?',
    }),
  },
  {
    method: 'post',
    path: '/api/v1/analyze/video',
    operationId: 'analyzeVideo',
    tag: 'Jobs',
    summary: 'Analyze a video (starts a job)',
    description:
      'Send the video as the raw request body. It is checked with ffprobe, stored, and processed in the background: scenes chosen by scene change, ' +
      'captioned, summarised, and its speech transcribed. Follow it with `GET /api/v1/jobs/{id}` or its `/events`.',
    query: analyzeVideoQuery,
    body: { kind: 'binary', description: 'The video file: MP4, MOV, WebM, MKV or AVI, checked with ffprobe (not by its name or Content-Type).' },
    ok: { status: 202, description: 'The job, queued. `Location` is where to follow it.', json: 'VideoJob' },
    errors: ['bad_request', 'empty_file', 'too_large', 'unsupported_type', 'corrupt_file', 'too_short', 'too_small'],
    curl: 'curl "$GLIMPSE_URL/api/v1/analyze/video?filename=clip.mp4" \\\n  -H "Authorization: Bearer $GLIMPSE_KEY" \\\n  --data-binary @clip.mp4',
  },
  {
    method: 'post',
    path: '/api/v1/transcribe',
    operationId: 'transcribe',
    tag: 'Jobs',
    summary: 'Transcribe a recording (starts a job)',
    description:
      'Send the recording (MP3, M4A, WAV, OGG/Opus, FLAC, WebM) as the raw request body. It is transcribed in the background into timed segments; ' +
      'the same audio is never transcribed twice by one model. 503 when the server has no transcription model.',
    query: transcribeQuery,
    body: { kind: 'binary', description: 'The recording, checked with ffprobe and a decode of its first and last second.' },
    ok: { status: 202, description: 'The job, queued. `Location` is where to follow it.', json: 'RecordingJob' },
    errors: ['bad_request', 'empty_file', 'too_large', 'unsupported_type', 'corrupt_file', 'too_short', 'model_unavailable'],
    curl: 'curl "$GLIMPSE_URL/api/v1/transcribe?filename=interview.mp3" \\\n  -H "Authorization: Bearer $GLIMPSE_KEY" \\\n  --data-binary @interview.mp3',
  },
  {
    method: 'post',
    path: '/api/v1/batch',
    operationId: 'batch',
    tag: 'Jobs',
    summary: 'Run one prompt over many images (starts a job)',
    description:
      'Each image is one model call (answered from the cache when asked before) and counts as one message against the daily quota. ' +
      'Every image’s answer is stored as it arrives; one image failing never stops the others.',
    body: { kind: 'json', schema: 'BatchRequest' },
    ok: { status: 202, description: 'The job, queued. `Location` is where to follow it.', json: 'BatchJob' },
    errors: ['bad_request', 'empty_file', 'too_large', 'too_many_pixels', 'unsupported_type', 'corrupt_file', 'model_unavailable'],
    curl: jsonCurl('/api/v1/batch', {
      prompt: 'Is there a person in this photo?',
      columns: [{ name: 'person', type: 'boolean' }],
      images: [{ image_url: 'https://example.com/1.jpg' }, { image_url: 'https://example.com/2.jpg' }],
    }),
  },
  {
    method: 'get',
    path: '/api/v1/jobs/{id}',
    operationId: 'getJob',
    tag: 'Jobs',
    summary: 'A job’s state and results',
    description: 'Any of your jobs, told apart by `kind`: `video`, `recording`, `batch` or `comparison`. Results appear as they are made.',
    params: jobParams,
    ok: { status: 200, description: 'The job.', json: 'Job' },
    errors: ['not_found'],
    curl: 'curl "$GLIMPSE_URL/api/v1/jobs/$JOB_ID" -H "Authorization: Bearer $GLIMPSE_KEY"',
  },
  {
    method: 'get',
    path: '/api/v1/jobs/{id}/events',
    operationId: 'getJobEvents',
    tag: 'Jobs',
    summary: 'A job’s progress as Server-Sent Events',
    description:
      'Unnamed events (`message`): one whenever the job changed, until it ends. A video or a recording sends `MediaProgressEvent`s; ' +
      'a batch sends `BatchProgressEvent`s (every image in the first, then those that changed); a comparison sends `ComparisonProgressEvent`s. ' +
      'Then read the results with `GET /api/v1/jobs/{id}`.',
    params: jobParams,
    ok: { status: 200, description: 'The progress stream.', events: { message: ['MediaProgressEvent', 'BatchProgressEvent', 'ComparisonProgressEvent'] } },
    errors: ['not_found'],
    curl: 'curl -N "$GLIMPSE_URL/api/v1/jobs/$JOB_ID/events" -H "Authorization: Bearer $GLIMPSE_KEY"',
  },
  {
    method: 'get',
    path: '/api/v1/me',
    operationId: 'me',
    tag: 'Account',
    summary: 'Whose key this is',
    description: 'The smallest call that proves a key works: its owner, the key, and its requests today.',
    ok: { status: 200, description: 'The key and its owner.', json: 'Me' },
    errors: [],
    curl: 'curl "$GLIMPSE_URL/api/v1/me" -H "Authorization: Bearer $GLIMPSE_KEY"',
  },
  {
    method: 'get',
    path: '/api/health',
    operationId: 'health',
    tag: 'Account',
    summary: 'Is the server up',
    description: 'The database, the blob storage and the configured models. No key needed; 503 when degraded.',
    auth: false,
    ok: { status: 200, description: 'Healthy.', json: 'Health' },
    errors: [],
    curl: 'curl "$GLIMPSE_URL/api/health"',
  },
];

const clean = (schema: Json): Json => {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
};

function components(): Record<string, Json> {
  const uri = (id: string) => `#/components/schemas/${id}`;
  const requests = z.toJSONSchema(requestSchemas, { io: 'input', uri }).schemas;
  const responses = z.toJSONSchema(responseSchemas, { io: 'output', uri }).schemas;
  return Object.fromEntries(Object.entries({ ...requests, ...responses }).map(([id, schema]) => [id, clean(schema as Json)]));
}

function parameters(schema: z.ZodObject, where: 'path' | 'query'): Json[] {
  const json = z.toJSONSchema(schema, { io: 'input' }) as { properties: Record<string, Json>; required?: string[] };
  return Object.entries(json.properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return { name, in: where, required: where === 'path' || (json.required ?? []).includes(name), description, schema: rest };
  });
}

const errorsByStatus = (codes: ErrorCode[]) => {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(errorStatus[code], [...(byStatus.get(errorStatus[code]) ?? []), code]);
  return byStatus;
};

const errorMeaning: Record<number, string> = {
  400: 'The request is malformed, or an image URL cannot be fetched (a private address, an error, too slow): the message says which.',
  401: 'No API key, or one that is not valid (mistyped, revoked).',
  404: 'No such job of yours.',
  413: 'A file or the request is too large.',
  415: 'The file is not of a kind this endpoint takes.',
  422: 'The file is damaged, too short or too small.',
  429: 'Over the key’s requests per minute (see `Retry-After`), or today’s quota (until midnight UTC).',
  502: 'The model failed to answer (the failed answer is stored in the conversation too).',
  503: 'No model (or no transcription model) is configured on this server.',
};

function responses(op: Operation): Json {
  const result: Json = {};
  for (const ok of [op.ok].flat()) {
    const content: Json = {};
    if (ok.json) content['application/json'] = { schema: ref(ok.json) };
    if (ok.events) {
      content['text/event-stream'] = {
        schema: { type: 'string', description: `Server-Sent Events: \`event: <name>\` and one \`data: <JSON>\` line each, a blank line after; \`: heartbeat\` comment lines at least every ${HEARTBEAT_MS / 1000} s while nothing else is sent.` },
        'x-sse-events': Object.fromEntries(Object.entries(ok.events).map(([name, ids]) => [name, Array.isArray(ids) ? { oneOf: ids.map(ref) } : ref(ids)])),
      };
    }
    const location = ok.status === 202 ? { headers: { Location: { schema: { type: 'string' }, description: 'GET this to follow the job.' } } } : {};
    result[ok.status] = { description: ok.description, ...location, content };
  }
  const codes: ErrorCode[] = [...op.errors, ...(op.auth === false ? [] : (['unauthorized', 'rate_limited'] as const))];
  for (const [status, statusCodes] of [...errorsByStatus(codes)].sort(([a], [b]) => a - b)) {
    const schema = { allOf: [ref('Error')], properties: { error: { properties: { code: { enum: statusCodes } } } } };
    result[status] = { description: `${errorMeaning[status] ?? 'Failed.'} Codes: ${statusCodes.map((c) => `\`${c}\``).join(', ')}.`, content: { 'application/json': { schema } } };
  }
  if (op.operationId === 'health') result[503] = { description: 'Degraded: the database or the storage is failing.', content: { 'application/json': { schema: ref('Health') } } };
  return result;
}

function requestBody(body: Body): Json {
  if (body.kind === 'binary') return { required: true, description: body.description, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } };
  const type = body.kind === 'json' ? 'application/json' : 'multipart/form-data';
  return { required: true, content: { [type]: { schema: ref(body.schema) } } };
}

export function openApiDocument(): Json {
  const paths: Record<string, Json> = {};
  for (const op of operations) {
    paths[op.path] ??= {};
    paths[op.path][op.method] = {
      operationId: op.operationId,
      tags: [op.tag],
      summary: op.summary,
      description: op.description,
      ...(op.auth === false ? { security: [] } : {}),
      ...(op.params || op.query ? { parameters: [...(op.params ? parameters(op.params, 'path') : []), ...(op.query ? parameters(op.query, 'query') : [])] } : {}),
      ...(op.body ? { requestBody: requestBody(op.body) } : {}),
      responses: responses(op),
      'x-codeSamples': [{ lang: 'shell', label: 'curl', source: op.curl }],
    };
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Glimpse HTTP API',
      version: '1',
      description:
        'Ask vision-language models about images, compare images, and run videos, recordings and batches of images as jobs. ' +
        'Every call but the health check needs an API key (create one in Settings) as `Authorization: Bearer glk_…`. ' +
        'Failures answer `{ "error": { "code", "message" } }` with the matching status. What a key asks is stored in its owner’s history like a question asked in the app, ' +
        'and counts against their daily quotas.',
    },
    tags: [
      { name: 'Analysis', description: 'Answers while you wait: JSON, or Server-Sent Events with `stream: true`.' },
      { name: 'Jobs', description: 'Work that takes longer: started with 202, followed by id.' },
      { name: 'Account', description: 'Keys and the server.' },
    ],
    security: [{ apiKey: [] }],
    paths,
    components: {
      schemas: components(),
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', bearerFormat: 'glk_…', description: 'An API key from Settings.' } },
    },
  };
}
