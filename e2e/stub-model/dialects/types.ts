/**
 * A dialect is how one real server speaks the OpenAI-compatible protocol: the exact bodies it
 * sends for chat (streamed and not), structured output, transcription and errors. The stub model
 * decides *what* to answer (the text, the usage, the transcript); the dialect decides *how* it looks
 * on the wire. Every shape here was read from the server's source or docs: `sources` says where.
 */

export const DIALECT_IDS = ['openai', 'vllm', 'ollama', 'lmstudio', 'llamacpp', 'dashscope', 'whispercpp', 'speaches', 'localai'] as const;
export type DialectId = (typeof DIALECT_IDS)[number];

/** One chat answer, as the stub decided it; the dialect only dresses it. */
export interface ChatTurn {
  id: string;
  /** Unix seconds. */
  created: number;
  model: string;
  /** The answer in the pieces it is streamed in; joined, the whole answer. */
  deltas: string[];
  /** A thinking model's reasoning, in pieces, sent before the answer; empty for other models. */
  reasoning: string[];
  usage: { promptTokens: number; completionTokens: number; reasoningTokens: number };
  finishReason: 'stop' | 'length';
  /** Set when the model refuses (the `[refuse]` marker): `deltas` are then the refusal's words. */
  refusal?: string;
  /** The request asked for a usage chunk (`stream_options.include_usage`); some servers then change every chunk. */
  includeUsage: boolean;
}

/** The HTTP answer for one error case, byte for byte what the server sends; `{model}` in the body stands for the requested model. */
export interface ErrorAnswer {
  status: number;
  headers?: Record<string, string>;
  /** Raw body (usually JSON text; some servers send plain text or HTML). */
  body: string;
}

/**
 * Failures a request can provoke with a marker in its last user message (see server.ts), each in
 * the server's own words. A server that cannot produce a case (it truncates instead of refusing a
 * long context, it has no rate limit) maps it to what it does do, saying so in `sources`.
 */
export type ErrorCase =
  | 'rateLimited' // 429 with Retry-After
  | 'rateLimitedBare' // 429 without Retry-After
  | 'contextLength' // 400 (or whatever it sends) for a prompt over the context window
  | 'payloadTooLarge' // 413 (or the proxy/server's equivalent) for a body over its limit
  | 'unauthorized' // 401 wrong or missing key
  | 'modelNotFound' // 404 (or 400) unknown model
  | 'serverError' // 500
  | 'unavailable' // 503 overloaded / loading
  | 'badResponseFormat'; // the error for a response_format type it does not take

export type FormatSupport = 'enforced' | 'rejected' | 'ignored';

export type TranscriptionFormat = 'json' | 'verbose_json' | 'text' | 'srt' | 'vtt';

/** What the stub heard in the audio: seconds, one segment per run of sound. */
export interface HeardAudio {
  duration: number;
  language: string;
  segments: { start: number; end: number; text: string }[];
  text: string;
}

export interface Dialect {
  id: DialectId;
  label: string;
  /** Where each shape was read (URL or `owner/repo:path`), keyed by what it documents. */
  sources: Record<string, string>;
  /** Null for servers that serve no chat models (whisper.cpp, speaches). */
  chat: {
    /** The body of a non-streamed chat completion. */
    completion(turn: ChatTurn): unknown;
    /** SSE `data:` payloads before the first delta (e.g. a role chunk); may be empty. */
    streamStart(turn: ChatTurn): string[];
    /** The payload carrying one piece of reasoning (a delta field, or content inside <think> tags); null where the server never streams reasoning. */
    reasoningDelta(turn: ChatTurn, text: string, index: number): string | null;
    /** The payload carrying one piece of the answer. */
    delta(turn: ChatTurn, text: string, index: number): string;
    /** Payloads after the last delta: finish chunk, usage chunk (or none), `[DONE]` (or none). */
    streamEnd(turn: ChatTurn, options: { includeUsage: boolean }): string[];
    /** How one payload is framed on the wire; `data: ${payload}\n\n` when absent. */
    frame?(payload: string): string;
    /** What it does with each `response_format` type. */
    responseFormat: { json_schema: FormatSupport; json_object: FormatSupport };
  } | null;
  /** Null for servers without /audio/transcriptions. */
  transcription: {
    /** The answer for one response_format, or null when the server refuses that format (answered with badResponseFormat). */
    answer(format: TranscriptionFormat, heard: HeardAudio): { contentType: string; body: string } | null;
  } | null;
  /**
   * Null where the server has no such failure and answers as usual (a single-model server ignores
   * the model name; whisper.cpp never reads it).
   */
  errors: Record<ErrorCase, ErrorAnswer | null>;
  /** The body of `GET /v1/models` for these model ids. */
  models(ids: readonly string[]): unknown;
}
