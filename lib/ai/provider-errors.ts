import { APICallError } from '@ai-sdk/provider';
import { retryAfterMs } from '@/lib/ai/retry';

/**
 * One reading of every way a model server fails, so chat, jobs and batches retry the same
 * failures and tell people the same plain words. Servers disagree on statuses (a context overflow
 * is a 400 in vLLM, llama.cpp and OpenAI alike but worded differently; an unknown model is a 404 or
 * a 400), so the kind comes from the status and, where the status is ambiguous, the body's words —
 * the patterns below are the ones the fixtures in e2e/stub-model/dialects record.
 */
export type FailureKind =
  | 'rate-limit' // 429: wait out Retry-After, then try again
  | 'transient' // 5xx, 408, a dropped or refused connection: try again with backoff
  | 'too-large' // 413 or a body "too large": shrink the images once and try again
  | 'context' // the prompt is over the context window: no retry helps
  | 'auth' // 401/403, or an account out of quota
  | 'model' // the server does not have this model
  | 'refused' // a content filter or policy refusal
  | 'unreadable' // an answer Glimpse cannot read (invalid JSON, wrong shape)
  | 'rejected'; // any other 4xx: the request itself is wrong

export type RetryPlan = 'wait' | 'backoff' | 'shrink' | 'never';

export interface ProviderFailure {
  kind: FailureKind;
  retry: RetryPlan;
  status: number | null;
  /** The pause the server asked for, when it did. */
  retryAfterMs: number | null;
  /** "OpenAI", "DashScope", "the model server" (see serverName): who failed, in words. */
  server: string;
  /** The context window the server reported, when a context overflow says it. */
  contextTokens: number | null;
  /** What the person is told. */
  message: string;
}

const RETRY: Record<FailureKind, RetryPlan> = {
  'rate-limit': 'wait',
  transient: 'backoff',
  'too-large': 'shrink',
  context: 'never',
  auth: 'never',
  model: 'never',
  refused: 'never',
  unreadable: 'never',
  rejected: 'never',
};

const CONTEXT_WORDS =
  /context[_ ](length|window|size)|maximum context|exceeds? the (available )?context|exceed_context_size|too many tokens|prompt is too long|input length|reduce the length|input (is )?too long|tokens? (limit )?exceeded|max_model_len|n_ctx/i;
const TOO_LARGE_WORDS = /max(imum)? bytes per|payload too large|entity too large|request too large|body (is )?too large|file (is )?too large|image (is )?too large|exceeds? (the )?(maximum|max) (allowed )?(request |upload |file )?size/i;
const MODEL_WORDS = /model[_ ]not[_ ]found|model .{0,80}(not found|does not exist|doesn't exist|not exist|is not available|unknown)|unknown model|no such model|model_not_available|failed to load model/i;
const AUTH_WORDS = /invalid[_ ]api[_ ]key|incorrect api key|invalid authentication|unauthori[sz]ed|api key.{0,40}(invalid|missing)/i;
const QUOTA_WORDS = /insufficient_quota|exceeded your current quota|arrearage|out of credit|billing/i;
const REFUSED_WORDS = /content[_ ]?filter|data_inspection_failed|inappropriate content|content management policy|safety system/i;

/**
 * Who failed, in words a person can pass on: the public services by name, our own servers by the
 * name the administrator gave them (`MODEL_SERVER_NAME`, e.g. "vLLM on gpu-box") — never their
 * address, which is the installation's business (the log has it).
 */
export function serverName(url: string | undefined): string {
  let parsed: URL | null = null;
  try {
    parsed = url ? new URL(url) : null;
  } catch {
    // An unparseable URL names no one.
  }
  const host = parsed?.host ?? '';
  if (host === 'api.openai.com') return 'OpenAI';
  if (/(^|\.)dashscope(-intl)?\.aliyuncs\.com$/.test(host)) return 'DashScope';
  if (parsed?.pathname.endsWith('/audio/transcriptions')) return process.env.TRANSCRIPTION_SERVER_NAME?.trim() || 'the transcription server';
  if (host && process.env.OLLAMA_BASE_URL && host === safeHost(process.env.OLLAMA_BASE_URL)) return 'Ollama';
  return process.env.MODEL_SERVER_NAME?.trim() || 'the model server';
}

function safeHost(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

/** The provider's own words from an error body: `error.message`, `message`, `detail` or the text itself. */
export function providerMessage(body: string | undefined): string {
  if (!body) return '';
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    const error = json.error;
    const candidates = [typeof error === 'object' && error ? (error as Record<string, unknown>).message : error, json.message, json.detail];
    const found = candidates.find((value) => typeof value === 'string' && value.trim());
    if (typeof found === 'string') return found.trim();
  } catch {
    // Plain text or HTML (a proxy's 413 page): the text without tags.
  }
  return body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
}

function contextWindowOf(text: string): number | null {
  const match = /maximum context length is (\d+)|context (?:length|window|size)(?: of| is)? (\d+)|"n_ctx"\s*:\s*(\d+)|n_ctx[ =:]+(\d+)|input length should be \[\d+, ?(\d+)\]|max_model_len[ =:]+(\d+)/i.exec(text);
  const value = match?.slice(1).find(Boolean);
  return value ? Number(value) : null;
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function kindOf(status: number | undefined, text: string, isRetryable: boolean): FailureKind {
  if (status === undefined) return 'transient';
  if (status >= 200 && status < 300) return 'unreadable';
  if (status === 429) return QUOTA_WORDS.test(text) ? 'auth' : 'rate-limit';
  if (status === 401 || status === 403) return REFUSED_WORDS.test(text) ? 'refused' : 'auth';
  if (status === 413) return 'too-large';
  if (status === 408 || status === 409 || status >= 500) {
    // Some servers send a context overflow or an unknown model as a 500 (LocalAI, older Ollama).
    if (CONTEXT_WORDS.test(text)) return 'context';
    if (MODEL_WORDS.test(text)) return 'model';
    return 'transient';
  }
  if (CONTEXT_WORDS.test(text)) return 'context';
  if (TOO_LARGE_WORDS.test(text)) return 'too-large';
  if (status === 404 || MODEL_WORDS.test(text)) return 'model';
  if (REFUSED_WORDS.test(text)) return 'refused';
  if (AUTH_WORDS.test(text)) return 'auth';
  if (QUOTA_WORDS.test(text)) return 'auth';
  return isRetryable ? 'transient' : 'rejected';
}

function messageFor(kind: FailureKind, failure: { server: string; status: number | null; model: string | null; cause: string; contextTokens: number | null }): string {
  const { server, status, model, cause } = failure;
  const http = status === null ? '' : ` (HTTP ${status})`;
  // "the model server" starts a sentence capitalised; a name the administrator gave ("vLLM on gpu-box") stays as given.
  const Server = server.startsWith('the ') ? capitalised(server) : server;
  switch (kind) {
    case 'rate-limit':
      return `${Server} is rate-limited right now${http} and waiting did not help. Try again in a minute.`;
    case 'transient':
      return status === null
        ? `Could not reach ${server}. Check that it is running and reachable.`
        : `${Server} failed${http}. Try again, or pick another model.`;
    case 'too-large':
      return `${Server} refused the request as too large${http}. Send fewer or smaller files.`;
    case 'context': {
      const window = failure.contextTokens ? ` (${failure.contextTokens.toLocaleString('en-US')} tokens)` : '';
      return `The question and what it is about are longer than the model's context window${window}.`;
    }
    case 'auth':
      return QUOTA_WORDS.test(cause)
        ? `${Server} refused the request: the account is out of quota or credit${http}.`
        : `${Server} refused our credentials${http}. Check the API key in the server configuration.`;
    case 'model':
      return `${Server} does not have the model${model ? ` “${model}”` : ''}${http}. Pick another model, or check the model names configured.`;
    case 'refused':
      return `${Server} declined to answer: its content filter stopped the request${http}.`;
    case 'unreadable':
      return `${Server} sent an answer Glimpse could not read${cause ? ` (${cause})` : ''}. Check that it speaks the OpenAI API at that address.`;
    case 'rejected':
      return `${Server} rejected the request${http}${cause ? `: ${cause.slice(0, 200)}` : ''}.`;
  }
}

/** What to make of `error`; null when it did not come from a model server (our own bug, an abort). */
export function classifyProviderError(error: unknown): ProviderFailure | null {
  if (!APICallError.isInstance(error)) return null;
  const status = error.statusCode ?? null;
  const cause = providerMessage(error.responseBody);
  const text = `${cause} ${error.responseBody ?? ''}`;
  const kind = kindOf(error.statusCode, status !== null && status < 300 ? '' : text, error.isRetryable);
  const server = serverName(error.url);
  const model = typeof (error.requestBodyValues as { model?: unknown } | undefined)?.model === 'string' ? ((error.requestBodyValues as { model: string }).model) : null;
  const contextTokens = kind === 'context' ? contextWindowOf(text) : null;
  // "Invalid JSON response" is the SDK's word for an answer of the wrong shape; say what was wrong.
  const unreadableCause = kind === 'unreadable' ? (/invalid json/i.test(error.message) ? 'not the JSON an OpenAI-compatible server sends' : error.message) : cause;
  return {
    kind,
    retry: RETRY[kind],
    status,
    retryAfterMs: kind === 'rate-limit' ? retryAfterMs(error) : null,
    server,
    contextTokens,
    message: messageFor(kind, { server, status, model, cause: unreadableCause, contextTokens }),
  };
}

/** True when no retry can help: the job fails now, with its message, instead of trying again. */
export function isPermanent(error: unknown): boolean {
  const failure = classifyProviderError(error);
  return failure !== null && failure.retry === 'never';
}
