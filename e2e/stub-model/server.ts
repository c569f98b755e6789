/**
 * An OpenAI-compatible chat server that stands in for a real vision model in tests.
 * Answers are derived from the request so tests can assert on them, and markers in the last
 * user message script failures, so e2e specs need no side channel to provoke them.
 * It also transcribes 16-bit PCM WAV files, one segment per run of sound, failing by model name.
 *
 * Every answer is dressed in a dialect (dialects/): the exact shapes one real server sends.
 *
 * CLI: `tsx e2e/stub-model/server.ts --port 4010 [--delta-delay-ms 10] [--call-delay-ms 1000] [--rpm 600]
 *       [--dialect vllm] [--transcription-dialect whispercpp]`
 */
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DIALECTS, dialectById } from './dialects';
import type { ChatTurn, Dialect, DialectId, ErrorAnswer, ErrorCase, TranscriptionFormat } from './dialects/types';
import { describeImageUrl, type RecordedImage } from './image-info';
import { jsonAnswerText, type ResponseFormat } from './json-answer';
import { failureMarkers } from './markers';
import { ollamaShow, ollamaTags } from './ollama-native';
import { schemaInPrompt } from './prompt-schema';

export type { RecordedImage };

export interface RecordedRequest {
  method: string;
  path: string;
  model?: string;
  /** Parsed JSON body; null for GETs and unparseable bodies. */
  body: unknown;
  /** Image parts across all messages, since the app may resend earlier images with the history. */
  imageCount: number;
  images: RecordedImage[];
  /** ISO timestamp, so the in-process list and `GET /__requests` look the same. */
  receivedAt: string;
  /** The HTTP status the stub answered with; retries show up as repeated 429s. */
  status: number;
  /** The caller hung up before the answer finished (e.g. the UI's stop button). */
  clientAborted: boolean;
}

export interface StubModel {
  /** Base URL ending in /v1, as `createOpenAICompatible({ baseURL })` expects. */
  url: string;
  requests: RecordedRequest[];
  /** Resets the recorded requests, and the settings to those the stub was started with. */
  reset(): void;
  /** Changes settings while the stub runs (also `POST /__config` with the same JSON). */
  configure(settings: StubSettings): void;
  stop(): Promise<void>;
}

export interface StubModelOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Pause between streamed deltas; large enough by default for a UI to render partial text. */
  deltaDelayMs?: number;
  /** Pause before answering each call, as a real model thinks (the video benchmark uses 1.5 s). */
  callDelayMs?: number;
  /** Pause before answering a video caption call only, so e2e specs can watch a video being processed. */
  captionDelayMs?: number;
  /** Refuses chat calls beyond this rate with 429, as a provider does (see rateLimitWaitMs); unset or 0: no limit. */
  requestsPerMinute?: number;
  /** The server whose shapes the answers take; `openai` (the default) answers as the stub always did. */
  dialect?: DialectId;
  /** The server transcriptions are answered as; by default the chat dialect when it transcribes, else openai. */
  transcriptionDialect?: DialectId;
}

export type StubSettings = Pick<StubModelOptions, 'callDelayMs' | 'requestsPerMinute' | 'dialect' | 'transcriptionDialect'>;

export const STUB_MODELS = ['stub-vision', 'stub-vision-2'] as const;
/** Accepted by the chat endpoint but always fails, so fallback paths can be exercised. */
export const BROKEN_MODEL = 'stub-broken';
export const TRANSCRIPTION_MODEL = 'stub-whisper';
/** Accepted by the transcription endpoint but always fails: audio has no room for markers. */
export const BROKEN_TRANSCRIPTION_MODEL = 'stub-whisper-broken';
export const TEXT_ONLY_TRANSCRIPTION_MODEL = 'gpt-4o-transcribe';
/** Streams reasoning pieces before the usual answer, as a thinking model does. */
export const THINKING_MODEL = 'stub-thinking';
/** Refuses `response_format: json_schema` with the dialect's error, whatever the dialect takes. */
export const NO_SCHEMA_MODEL = 'stub-vision-noschema';
/** Ignores `response_format` altogether and answers prose, as some served models do. */
export const PROSE_MODEL = 'stub-vision-prose';
const CHAT_MODELS: readonly string[] = [...STUB_MODELS, BROKEN_MODEL, THINKING_MODEL, NO_SCHEMA_MODEL, PROSE_MODEL];
export const REFUSAL = "I'm sorry, but I can't help with that request.";
const TRANSCRIPTION_WINDOW_S = 0.1;
/** RMS below this fraction of full scale counts as silence; a test tone at half volume is far above it. */
const SILENCE_RMS = 0.02;
const SLOW_DELTA_DELAY_MS = 150;
const MIDSTREAM_DELTAS_BEFORE_DROP = 3;

interface ChatMessage {
  role?: string;
  content?: unknown;
}

type Part = { type?: string; text?: string; image_url?: { url?: string } };

function parts(content: unknown): Part[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return Array.isArray(content) ? (content as Part[]) : [];
}

function textOf(message: ChatMessage | undefined): string {
  return parts(message?.content)
    .filter((p) => p.type === 'text' && typeof p.text === 'string')
    .map((p) => p.text)
    .join('\n');
}

/**
 * Video captioning asks for "exactly N lines" about frames listed as "1 at 00:00, 2 at 00:03, …":
 * one deterministic caption per frame, naming its time, so a timeline can be asserted exactly.
 */
function captionAnswer(prompt: string): string | null {
  const wanted = /Answer with exactly (\d+) lines/.exec(prompt);
  if (!wanted) return null;
  const times = [...prompt.matchAll(/(\d+) at ((?:\d+:)?\d+:\d\d)/g)].map((m) => m[2]);
  return Array.from({ length: Number(wanted[1]) }, (_, i) => `${i + 1}: Stub scene ${i + 1} of this grid, at ${times[i] ?? '?'}.`).join('\n');
}

/**
 * Transcript translation (lib/ai/translation.ts) lists lines "1. text" under "Lines to translate:":
 * each comes back as "1. [<language>] text", so a test can predict every line. A line whose text
 * contains `[skip-me]` is left out, as a careless model might, to exercise the retry and the error.
 */
function translationAnswer(prompt: string): string | null {
  const language = /^Translate each numbered subtitle line below into (.+)\.$/m.exec(prompt);
  const heading = prompt.indexOf('\nLines to translate:\n');
  if (!language || heading < 0) return null;
  return [...prompt.slice(heading).matchAll(/^(\d+)\. (.*)$/gm)]
    .filter(([, , text]) => !text.includes('[skip-me]'))
    .map(([, number, text]) => `${number}. [${language[1]}] ${text}`)
    .join('\n');
}

/** The timeline summary, and answers about a video, cite a scene's time the way a real model is asked to. */
function videoAnswer(prompt: string): string | null {
  const starts = [...prompt.matchAll(/^\[((?:\d+:)?\d+:\d\d)(?:–[^\]]*)?\]/gm)].map((m) => m[1]);
  if (starts.length === 0) return null;
  const cited = starts[Math.min(1, starts.length - 1)];
  if (prompt.startsWith('Here is the timeline of a video')) return `A stub summary of a video in ${starts.length} scenes; the second begins at [${cited}].`;
  const question = prompt.split('\n').at(-1);
  // A recording's transcript comes as timed lines too; its answer cites the second line.
  if (prompt.startsWith('Recording "')) return `Stub answer about the recording to: "${question}". The second line is said at [${cited}].`;
  return `Stub answer about the video to: "${question}". The second scene starts at [${cited}].`;
}

/** What the stub thinking model reasons before its answer; exported so specs can predict it. */
export function stubReasoning(prompt: string): string {
  return `The stub thinks about "${prompt}" before it answers.`;
}

/** The reply for a prompt; exported so specs can compute the exact expected text. */
export function stubAnswer(prompt: string, imageCount: number, model: string, origin = 'http://127.0.0.1', images: RecordedImage[] = []): string {
  // "Test connection" (lib/ai/connection-test.ts) asks the colour of a plain square: a model that sees says it.
  const colour = images[0]?.colour;
  if (colour && /^What colou?r is this image\?/.test(prompt)) return `The image is ${colour}.`;
  // Even empty (every line skipped): a translation prompt never gets the generic answer.
  const translation = translationAnswer(prompt);
  if (translation !== null) return translation;
  const special = captionAnswer(prompt) ?? videoAnswer(prompt);
  if (special) return special;
  // `[image]` asks for a Markdown image pointing back here, as a prompt-injected answer might:
  // a request to /__pixel shows that a browser fetched it.
  const pixel = prompt.includes('[image]') ? ['', `![pixel](${origin}/__pixel?leak=1)`] : [];
  return [
    `Stub answer to: "${prompt}" (images: ${imageCount}, model: ${model})`,
    '',
    '- The request carried ' + imageCount + ' image(s).',
    '- This reply is streamed word by word.',
    '',
    '| Field | Value |',
    '| --- | --- |',
    `| model | ${model} |`,
    `| images | ${imageCount} |`,
    '',
    '```ts',
    `const stub = { model: '${model}', images: ${imageCount} };`,
    '```',
    ...pixel,
  ].join('\n');
}

/** Splits after whitespace so the deltas concatenate back to the exact answer. */
export function splitDeltas(text: string): string[] {
  return text.split(/(?<=\s)(?=\S)/);
}

/** A rough stand-in for tokenisation: stable across runs and sensitive to text and image count. */
export function promptTokens(messages: ChatMessage[], imageCount: number): number {
  const chars = messages.reduce((sum, m) => sum + textOf(m).length, 0);
  return 10 + Math.floor(chars / 4) + 85 * imageCount;
}

interface Pcm {
  sampleRate: number;
  channels: number;
  /** Interleaved samples scaled to -1…1. */
  samples: Float32Array;
}

/** A 16-bit PCM WAV's samples, or null for anything else: the stub decodes nothing more. */
export function decodeWav(bytes: Uint8Array): Pcm | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') return null;
  let format: { sampleRate: number; channels: number } | null = null;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (tag(at) === 'fmt ') {
      if (view.getUint16(body, true) !== 1 || view.getUint16(body + 14, true) !== 16) return null;
      format = { channels: view.getUint16(body + 2, true), sampleRate: view.getUint32(body + 4, true) };
    } else if (tag(at) === 'data' && format) {
      const count = Math.floor(Math.min(size, bytes.length - body) / 2);
      const samples = new Float32Array(count);
      for (let i = 0; i < count; i++) samples[i] = view.getInt16(body + 2 * i, true) / 32768;
      return { ...format, samples };
    }
    at = body + size + (size % 2);
  }
  return null;
}

export interface StubSegment {
  start: number;
  end: number;
  text: string;
}

/** One segment per run of non-silent 100 ms windows, in seconds; exported so specs can predict answers. */
export function stubTranscript(pcm: Pcm): { duration: number; segments: StubSegment[] } {
  const frames = pcm.samples.length / pcm.channels;
  const duration = frames / pcm.sampleRate;
  const window = Math.round(TRANSCRIPTION_WINDOW_S * pcm.sampleRate) * pcm.channels;
  const segments: StubSegment[] = [];
  let runStart: number | null = null;
  for (let from = 0; from < pcm.samples.length; from += window) {
    const slice = pcm.samples.subarray(from, from + window);
    const rms = Math.sqrt(slice.reduce((sum, x) => sum + x * x, 0) / slice.length);
    const time = from / pcm.channels / pcm.sampleRate;
    if (rms >= SILENCE_RMS) runStart ??= time;
    else if (runStart !== null) {
      segments.push({ start: runStart, end: time, text: `Stub words ${segments.length + 1}` });
      runStart = null;
    }
  }
  if (runStart !== null) segments.push({ start: runStart, end: duration, text: `Stub words ${segments.length + 1}` });
  const round = (s: number) => Math.round(s * 1000) / 1000;
  return { duration: round(duration), segments: segments.map((s) => ({ ...s, start: round(s.start), end: round(s.end) })) };
}

interface TranscriptionForm {
  model?: string;
  response_format?: string;
  timestamp_granularities: string[];
  file: { name: string; type: string; size: number } | null;
}

/** The multipart fields as recorded (the file by name, type and size); the audio bytes separately. */
async function parseTranscriptionForm(req: IncomingMessage, raw: Buffer): Promise<{ form: TranscriptionForm; audio: Uint8Array | null } | null> {
  try {
    const data = await new Request('http://stub', { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? '' }, body: new Uint8Array(raw) }).formData();
    const file = data.get('file');
    const field = (name: string) => (typeof data.get(name) === 'string' ? (data.get(name) as string) : undefined);
    const form: TranscriptionForm = {
      model: field('model'),
      response_format: field('response_format'),
      timestamp_granularities: data.getAll('timestamp_granularities[]').map(String),
      file: file instanceof File ? { name: file.name, type: file.type, size: file.size } : null,
    };
    return { form, audio: file instanceof File ? new Uint8Array(await file.arrayBuffer()) : null };
  } catch {
    return null;
  }
}

/** Records the status as it is sent, so a test that reads `requests` right after a response never races it. */
function writeHead(record: RecordedRequest, res: ServerResponse, status: number, headers: OutgoingHttpHeaders) {
  record.status = status;
  res.writeHead(status, headers);
}

function sendJson(record: RecordedRequest, res: ServerResponse, status: number, payload: unknown, headers: OutgoingHttpHeaders = {}) {
  writeHead(record, res, status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(payload));
}

function sendError(record: RecordedRequest, res: ServerResponse, status: number, message: string, code: string, headers: OutgoingHttpHeaders = {}) {
  const type = status === 429 ? 'requests' : status >= 500 ? 'server_error' : 'invalid_request_error';
  sendJson(record, res, status, { error: { message, type, param: null, code } }, headers);
}

/** An error as the dialect words it, `{model}` filled in; `retryAfter` replaces the value of its Retry-After header. */
function sendDialectError(record: RecordedRequest, res: ServerResponse, answer: ErrorAnswer, model: string, retryAfter?: string) {
  const headers = { ...answer.headers };
  const retryHeader = Object.keys(headers).find((name) => name.toLowerCase() === 'retry-after');
  if (retryHeader && retryAfter !== undefined) headers[retryHeader] = retryAfter;
  writeHead(record, res, answer.status, headers);
  res.end(answer.body.replaceAll('{model}', JSON.stringify(model).slice(1, -1)));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const TRANSCRIPTION_FORMATS: readonly string[] = ['json', 'verbose_json', 'text', 'srt', 'vtt'];

export async function startStubModel(opts: StubModelOptions = {}): Promise<StubModel> {
  const requests: RecordedRequest[] = [];
  // Failures already served per prompt, so `[fail:429x2]` can succeed on the third attempt.
  const failuresServed = new Map<string, number>();
  const deltaDelayMs = opts.deltaDelayMs ?? 10;
  let completionCounter = 0;
  const startSettings = (): StubSettings => ({
    callDelayMs: opts.callDelayMs,
    requestsPerMinute: opts.requestsPerMinute,
    dialect: opts.dialect,
    transcriptionDialect: opts.transcriptionDialect,
  });
  let settings = startSettings();
  const chatDialect = (): Dialect => DIALECTS[settings.dialect ?? 'openai'];
  // A chat-only server sends transcriptions elsewhere: to the chosen one, else OpenAI.
  const transcriptionDialect = (): Dialect =>
    settings.transcriptionDialect ? DIALECTS[settings.transcriptionDialect] : chatDialect().transcription ? chatDialect() : DIALECTS.openai;
  // Arrival times of the chat calls let through, for the rate limit.
  const admitted: number[] = [];

  /**
   * Like a provider enforcing its per-minute limit over one-second slices: a chat call arriving when
   * RPM/60 were let through in the last second (below 60 RPM: one in the last 60/RPM s) is refused.
   * Returns how long until there is room, or null when the call is let through.
   */
  function rateLimitWaitMs(now: number): number | null {
    const rpm = settings.requestsPerMinute;
    if (!rpm) return null;
    const windowMs = Math.max(1000, 60_000 / rpm);
    while (admitted.length > 0 && admitted[0] <= now - windowMs) admitted.shift();
    if (admitted.length + 1 > (rpm * windowMs) / 60_000) return admitted[0] + windowMs - now;
    admitted.push(now);
    return null;
  }

  /** Counts a failure served for `key`; true while fewer than `times` were. */
  function failsAgain(key: string, times: number): boolean {
    const served = failuresServed.get(key) ?? 0;
    if (served >= times) return false;
    failuresServed.set(key, served + 1);
    return true;
  }

  async function chat(record: RecordedRequest, req: IncomingMessage, res: ServerResponse) {
    const dialect = chatDialect();
    const body = record.body as { model?: string; messages?: ChatMessage[]; stream?: boolean; stream_options?: { include_usage?: boolean } } | null;
    const model = String(body?.model);
    const fail = (errorCase: ErrorCase, retryAfter?: string) => {
      const answer = dialect.errors[errorCase];
      if (!answer) return false;
      sendDialectError(record, res, answer, model, retryAfter);
      return true;
    };
    if (!dialect.chat) return sendError(record, res, 404, `${dialect.label} serves no chat models`, 'not_found');
    const waitMs = rateLimitWaitMs(Date.now());
    if (waitMs !== null && fail('rateLimited', String(Math.max(1, Math.ceil(waitMs / 1000))))) return;
    if (!body || !Array.isArray(body.messages)) {
      return sendError(record, res, 400, 'Body must be JSON with a messages array', 'invalid_body');
    }
    if (!CHAT_MODELS.includes(model) && fail('modelNotFound')) return;
    const prompt = textOf(body.messages.findLast((m) => m.role === 'user'));
    if (model === BROKEN_MODEL && fail('serverError')) return;
    // `[fail:500:w112x2]`: the first 2 calls with an image 112 px wide fail, so one image of a batch can.
    const imageFailure = /\[fail:500:w(\d+)x(\d+)\]/.exec(prompt);
    if (imageFailure && record.images.some((image) => image.width === Number(imageFailure[1]))) {
      if (failsAgain(`${prompt}#w${imageFailure[1]}`, Number(imageFailure[2])) && fail('serverError')) return;
    }
    for (const marker of failureMarkers(prompt)) {
      // A marker's 429 says "retry now", so tests never wait.
      if (failsAgain(marker.key, marker.times) && fail(marker.errorCase, '0')) return;
    }

    // What the request asks the answer to look like, and what this server and model make of it.
    const requested = (body as { response_format?: ResponseFormat }).response_format;
    const wantsSchema = requested?.type === 'json_schema';
    const support = requested?.type === 'json_schema' || requested?.type === 'json_object' ? dialect.chat.responseFormat[requested.type] : 'ignored';
    if (((wantsSchema && model === NO_SCHEMA_MODEL) || support === 'rejected') && fail('badResponseFormat')) return;
    const inPrompt = schemaInPrompt(body.messages.map(textOf));
    const format = model === PROSE_MODEL || support === 'ignored' ? inPrompt : requested?.type === 'json_object' ? (inPrompt ?? requested) : requested;

    if (settings.callDelayMs) await sleep(settings.callDelayMs);
    if (opts.captionDelayMs && captionAnswer(prompt)) await sleep(opts.captionDelayMs);
    // With a format the answer is JSON for the request's schema. `[json:broken]` breaks it every
    // time, `[json:brokenx1]` the first time for the prompt (counted like `[fail:429x2]`).
    const brokenJson = /\[json:broken(?:x(\d+))?\]/.exec(prompt);
    const breakJson = brokenJson !== null && format !== null && failsAgain(`json:${prompt}`, brokenJson[1] ? Number(brokenJson[1]) : Infinity);
    const refusal = prompt.includes('[refuse]') ? REFUSAL : undefined;
    const answer =
      refusal ??
      (format ? jsonAnswerText(format, prompt, record.imageCount, breakJson) : stubAnswer(prompt, record.imageCount, model, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, record.images));
    // `[think:only]`: a thinking model that spends its whole budget thinking and never answers.
    const thinksOnly = prompt.includes('[think:only]');
    const deltas = thinksOnly ? [] : splitDeltas(answer);
    const reasoning = model === THINKING_MODEL || thinksOnly ? splitDeltas(stubReasoning(prompt)) : [];
    const includeUsage = body.stream_options?.include_usage === true;
    const turn: ChatTurn = {
      id: `chatcmpl-stub-${++completionCounter}`,
      created: Math.floor(Date.now() / 1000),
      model,
      deltas,
      reasoning,
      usage: { promptTokens: promptTokens(body.messages, record.imageCount), completionTokens: deltas.length + reasoning.length, reasoningTokens: reasoning.length },
      finishReason: thinksOnly ? 'length' : 'stop',
      refusal,
      includeUsage,
    };

    if (!body.stream) return sendJson(record, res, 200, dialect.chat.completion(turn));

    const frame = dialect.chat.frame ?? ((payload: string) => `data: ${payload}\n\n`);
    let closed = false;
    res.once('close', () => (closed = true));
    writeHead(record, res, 200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    for (const payload of dialect.chat.streamStart(turn)) res.write(frame(payload));
    const delay = prompt.includes('[slow]') ? SLOW_DELTA_DELAY_MS : deltaDelayMs;
    const dropAfter = prompt.includes('[fail:midstream]') ? MIDSTREAM_DELTAS_BEFORE_DROP : Infinity;
    const pieces = [...reasoning.map((text, i) => ({ text, i, reasoning: true })), ...deltas.map((text, i) => ({ text, i, reasoning: false }))];
    for (const [n, piece] of pieces.entries()) {
      if (n > 0) await sleep(delay);
      if (closed) {
        record.clientAborted = true;
        return;
      }
      // After a pause, so the deltas already written have reached the client before the connection drops.
      if (!piece.reasoning && piece.i === dropAfter) {
        req.socket.destroy();
        return;
      }
      const payload = piece.reasoning ? dialect.chat.reasoningDelta(turn, piece.text, piece.i) : dialect.chat.delta(turn, piece.text, piece.i);
      if (payload !== null) res.write(frame(payload));
    }
    const end = dialect.chat.streamEnd(turn, { includeUsage });
    for (const payload of end.slice(0, -1)) res.write(frame(payload));
    res.end(end.length > 0 ? frame(end[end.length - 1]) : undefined);
  }

  function transcribe(record: RecordedRequest, res: ServerResponse, audio: Uint8Array | null) {
    const dialect = transcriptionDialect();
    const form = record.body as TranscriptionForm | null;
    if (!form || !audio) return sendError(record, res, 400, 'Body must be multipart/form-data with a file field', 'invalid_body');
    const model = String(form.model);
    const fail = (errorCase: ErrorCase) => {
      const answer = dialect.errors[errorCase];
      if (!answer) return false;
      sendDialectError(record, res, answer, model);
      return true;
    };
    if (model === BROKEN_TRANSCRIPTION_MODEL && fail('serverError')) return;
    if (model !== TRANSCRIPTION_MODEL && model !== TEXT_ONLY_TRANSCRIPTION_MODEL && fail('modelNotFound')) return;
    const pcm = decodeWav(audio);
    if (!pcm) return sendError(record, res, 400, 'The stub only understands 16-bit PCM WAV files', 'unsupported_audio');
    // gpt-4o-transcribe stands for OpenAI's models that answer with text alone (no verbose_json).
    if (form.response_format === 'verbose_json' && model === TEXT_ONLY_TRANSCRIPTION_MODEL) {
      return sendError(record, res, 400, `response_format 'verbose_json' is not compatible with ${model}`, 'unsupported_value');
    }
    const { duration, segments } = stubTranscript(pcm);
    const heard = { duration, language: 'en', segments, text: segments.map((s) => s.text).join(' ') };
    const format = form.response_format ?? 'json';
    const answer = TRANSCRIPTION_FORMATS.includes(format) ? dialect.transcription?.answer(format as TranscriptionFormat, heard) : null;
    if (!answer && fail('badResponseFormat')) return;
    const fallback = answer ?? DIALECTS.openai.transcription?.answer('json', heard);
    writeHead(record, res, 200, { 'content-type': fallback?.contentType ?? 'application/json' });
    res.end(fallback?.body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = new URL(req.url ?? '/', 'http://stub').pathname;
    if (req.method === 'GET' && path === '/__requests') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(requests));
    }
    if (req.method === 'POST' && path === '/__reset') {
      reset();
      res.writeHead(204);
      return res.end();
    }
    if (req.method === 'POST' && path === '/__config') {
      let json = '';
      for await (const chunk of req) json += chunk;
      try {
        configure(JSON.parse(json) as StubSettings);
      } catch {
        res.writeHead(400);
        return res.end();
      }
      res.writeHead(204);
      return res.end();
    }

    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBytes = Buffer.concat(chunks);
    const raw = rawBytes.toString('utf8');
    let body: unknown = null;
    const isTranscription = req.method === 'POST' && path === '/v1/audio/transcriptions';
    const upload = isTranscription ? await parseTranscriptionForm(req, rawBytes) : null;
    if (upload) body = upload.form;
    else if (!isTranscription) {
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        // Recorded as null; the chat handler answers 400 like a real server would.
      }
    }
    const messages = (body as { messages?: ChatMessage[] } | null)?.messages;
    const images = (Array.isArray(messages) ? messages : [])
      .flatMap((m) => parts(m.content))
      .filter((p) => p.type === 'image_url')
      .map((p) => describeImageUrl(String(p.image_url?.url)));
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      model: (body as { model?: string } | null)?.model,
      body,
      imageCount: images.length,
      images,
      receivedAt: new Date().toISOString(),
      status: 0,
      clientAborted: false,
    };
    requests.push(record);

    if (req.method === 'GET' && path === '/v1/models') return sendJson(record, res, 200, chatDialect().models(STUB_MODELS));
    // Ollama's native API, which the app's registry probes for vision models.
    if (chatDialect().id === 'ollama' && req.method === 'GET' && path === '/api/tags') return sendJson(record, res, 200, ollamaTags(STUB_MODELS));
    if (chatDialect().id === 'ollama' && req.method === 'POST' && path === '/api/show') {
      const name = String((body as { model?: string; name?: string } | null)?.model ?? (body as { name?: string } | null)?.name);
      if ((STUB_MODELS as readonly string[]).includes(name)) return sendJson(record, res, 200, ollamaShow(name));
      return sendJson(record, res, 404, { error: `model '${name}' not found` });
    }
    if (req.method === 'POST' && path === '/v1/chat/completions') return chat(record, req, res);
    if (isTranscription) return transcribe(record, res, upload?.audio ?? null);
    sendError(record, res, 404, `No stub route for ${req.method} ${path}`, 'not_found');
  }

  function reset() {
    requests.length = 0;
    failuresServed.clear();
    settings = startSettings();
    admitted.length = 0;
  }

  function configure(changes: StubSettings) {
    // A typo in a dialect name fails here (an HTTP 400 for /__config) instead of answering as OpenAI.
    for (const id of [changes.dialect, changes.transcriptionDialect]) if (id !== undefined) dialectById(id);
    settings = { ...settings, ...changes };
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('stub model crashed:', error);
      res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    reset,
    configure,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4010' },
      'delta-delay-ms': { type: 'string' },
      'call-delay-ms': { type: 'string' },
      'caption-delay-ms': { type: 'string' },
      rpm: { type: 'string' },
      dialect: { type: 'string', default: 'openai' },
      'transcription-dialect': { type: 'string' },
    },
  });
  const transcription = values['transcription-dialect'];
  const delay = values['delta-delay-ms'];
  const stub = await startStubModel({
    port: Number(values.port),
    deltaDelayMs: delay === undefined ? undefined : Number(delay),
    callDelayMs: Number(values['call-delay-ms'] ?? 0),
    captionDelayMs: Number(values['caption-delay-ms'] ?? 0),
    requestsPerMinute: Number(values.rpm ?? 0),
    dialect: dialectById(values.dialect).id,
    // An empty value (an unset env variable in a shell command) means the default.
    transcriptionDialect: transcription ? dialectById(transcription).id : undefined,
  });
  console.log(`stub model listening on ${stub.url}`);
}
