/**
 * LocalAI. Go structs with omitempty: the role chunk has "content": null, reasoning rides in
 * `delta.reasoning`, a usage trailer with choices [] only when asked. Its transcription keeps the
 * segment times of the whisper backend as Go durations: nanoseconds.
 */
import { jsonError, openAiUsage as usage, PROXY_SOURCE, proxyPage } from './shared';
import type { ChatTurn, Dialect } from './types';

const REPO = 'mudler/LocalAI';
const NS = 1e9;

const chunk = (turn: ChatTurn, choices: object[]) => JSON.stringify({ created: turn.created, object: 'chat.completion.chunk', id: turn.id, model: turn.model, choices });

const piece = (turn: ChatTurn, delta: object) => chunk(turn, [{ index: 0, finish_reason: null, delta }]);

const error = (status: number | string, message: string, type = '') => jsonError(typeof status === 'number' ? status : 503, { error: { code: status, message, type } });

/** LocalAI's srt/vtt/text writers: trimmed text, cues separated by a leading blank line. */
function timestamp(seconds: number, separator: string) {
  const ms = Math.round(seconds * 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000))}:${pad(Math.floor(ms / 1000) % 60)}${separator}${pad(ms % 1000, 3)}`;
}

export const localai: Dialect = {
  id: 'localai',
  label: 'LocalAI',
  sources: {
    chatStream: `${REPO}:core/http/endpoints/openai/chat_stream_workers.go (role chunk {"role":"assistant","content":null}, token chunks) and chat.go (empty delta with finish_reason, usage trailer when include_usage, data: [DONE])`,
    chatCompletion: `${REPO}:core/schema/openai.go (OpenAIResponse: created, object, id, model, choices, usage; Choice: index, finish_reason, message)`,
    usage: `${REPO}:core/http/endpoints/openai/chat_emit.go (streamUsageTrailerJSON: choices [] and usage; no reasoning_tokens)`,
    reasoning: `${REPO}:core/schema/message.go (Message.reasoning, extracted from <think> tags)`,
    refusal: 'LocalAI has no refusal field: a model refuses in content',
    responseFormat: `${REPO}:core/http/endpoints/openai/chat.go (json_object and json_schema turned into a grammar, both enforced)`,
    transcription: `${REPO}:core/schema/transcription.go and core/http/endpoints/openai/transcription.go at a315c321 (verbose_json segments id/start/end/text/tokens, start and end time.Duration = nanoseconds, language as sent or omitted; json drops segments; text/srt/vtt from core/schema/transcription_format.go). Since #9621 (May 2026) newer builds send seconds instead`,
    errors: `${REPO}:core/http/app.go (HTTPErrorHandler: {"error":{"code":<status>,"message","type":""}}), core/http/middleware/request.go (unknown model 404), core/http/auth/middleware.go (401 "An authentication key is required"), core/http/app.go (respondModelLoading 503)`,
    contextLength: `${REPO}: the llama.cpp backend's context error comes back through gRPC as a 500 — message as llama.cpp words it`,
    proxyErrors: `${PROXY_SOURCE}: no rate limit or body limit of its own (429/413)`,
    models: `${REPO}:core/schema/openai.go (ModelsDataResponse, owned_by "OpenAI")`,
  },
  chat: {
    completion: (turn) => ({
      created: turn.created,
      object: 'chat.completion',
      id: turn.id,
      model: turn.model,
      choices: [
        {
          index: 0,
          finish_reason: turn.finishReason,
          message: { role: 'assistant', content: turn.deltas.join(''), ...(turn.reasoning.length > 0 ? { reasoning: turn.reasoning.join('') } : {}) },
        },
      ],
      usage: usage(turn),
    }),
    streamStart: (turn) => [piece(turn, { role: 'assistant', content: null })],
    reasoningDelta: (turn, text) => piece(turn, { content: null, reasoning: text }),
    delta: (turn, text) => piece(turn, { content: text }),
    streamEnd: (turn, { includeUsage }) => [
      chunk(turn, [{ index: 0, finish_reason: turn.finishReason, delta: { content: null } }]),
      ...(includeUsage ? [JSON.stringify({ id: turn.id, created: turn.created, model: turn.model, object: 'chat.completion.chunk', choices: [], usage: usage(turn) })] : []),
      '[DONE]',
    ],
    responseFormat: { json_schema: 'enforced', json_object: 'enforced' },
  },
  transcription: {
    answer(format, heard) {
      const text = (t: string) => t.trim();
      if (format === 'text') return { contentType: 'text/plain; charset=UTF-8', body: heard.segments.map((s) => `\n${text(s.text)}`).join('') };
      if (format === 'srt')
        return { contentType: 'text/plain; charset=UTF-8', body: heard.segments.map((s, i) => `\n\n${i + 1}\n${timestamp(s.start, ',')} --> ${timestamp(s.end, ',')}\n${text(s.text)}`).join('') };
      if (format === 'vtt')
        return { contentType: 'text/plain; charset=UTF-8', body: `WEBVTT${heard.segments.map((s) => `\n\n${timestamp(s.start, '.')} --> ${timestamp(s.end, '.')}\n${text(s.text)}\n`).join('')}` };
      // The language field is what the request asked for: the app sends none, so it is omitted.
      const segments = heard.segments.map((s, id) => ({ id, start: Math.round(s.start * NS), end: Math.round(s.end * NS), text: ` ${s.text}`, tokens: [] }));
      const body = format === 'json' ? { text: heard.text, duration: heard.duration } : { segments, text: heard.text, duration: heard.duration };
      return { contentType: 'application/json', body: JSON.stringify(body) };
    },
  },
  errors: {
    rateLimited: proxyPage(429, 'Too Many Requests', { 'Retry-After': '1' }),
    rateLimitedBare: proxyPage(429, 'Too Many Requests'),
    contextLength: error(500, 'rpc error: code = Unknown desc = the request exceeds the available context size, try increasing it'),
    payloadTooLarge: proxyPage(413, 'Request Entity Too Large'),
    unauthorized: jsonError(401, { error: { code: 401, message: 'An authentication key is required', type: 'invalid_request_error' } }),
    modelNotFound: jsonError(404, { error: { code: 404, message: 'model "{model}" not found. To see available models, call GET /v1/models', type: 'invalid_request_error' } }),
    serverError: error(500, 'rpc error: code = Unavailable desc = error reading from server: EOF'),
    unavailable: { ...error('model_loading', 'model {model} is loading', 'model_loading'), headers: { 'content-type': 'application/json', 'Retry-After': '1' } },
    badResponseFormat: error(500, 'invalid response_format'),
  },
  models: (ids) => ({ object: 'list', data: ids.map((id) => ({ id, object: 'model', owned_by: 'OpenAI' })) }),
};
