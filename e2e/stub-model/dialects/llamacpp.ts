/**
 * llama.cpp's llama-server. Its JSON is nlohmann::json, whose objects keep keys sorted, so every
 * body here lists them alphabetically; the last chunk carries `timings`, reasoning (deepseek
 * format, the default) comes in `delta.reasoning_content`.
 */
import { jsonError, PROXY_SOURCE, proxyPage } from './shared';
import type { ChatTurn, Dialect } from './types';

const REPO = 'ggml-org/llama.cpp';
const BUILD = 'b6500-0d6a5d6c';

const usage = (turn: ChatTurn) => ({
  completion_tokens: turn.usage.completionTokens,
  prompt_tokens: turn.usage.promptTokens,
  total_tokens: turn.usage.promptTokens + turn.usage.completionTokens,
});

/** result_timings::to_json, with rates as a fast local GPU gives them. */
function timings(turn: ChatTurn) {
  const predicted = turn.usage.completionTokens;
  const prompt = turn.usage.promptTokens;
  return {
    cache_n: 0,
    predicted_ms: predicted * 20,
    predicted_n: predicted,
    predicted_per_second: 50,
    predicted_per_token_ms: 20,
    prompt_ms: prompt * 0.5,
    prompt_n: prompt,
    prompt_per_second: 2000,
    prompt_per_token_ms: 0.5,
  };
}

const chunk = (turn: ChatTurn, choices: object[], extra: object = {}) => ({
  choices,
  created: turn.created,
  id: turn.id,
  model: turn.model,
  object: 'chat.completion.chunk',
  system_fingerprint: BUILD,
  ...extra,
});

const delta = (turn: ChatTurn, value: object) => JSON.stringify(chunk(turn, [{ delta: value, finish_reason: null, index: 0 }]));

const error = (status: number, message: string, type: string, extra: object = {}) => jsonError(status, { error: { code: status, message, ...extra, type } });

export const llamacpp: Dialect = {
  id: 'llamacpp',
  label: 'llama.cpp (llama-server)',
  sources: {
    chatStream: `${REPO}:tools/server/server-task.cpp (server_task_result_cmpl_partial::to_json_oaicompat_chat: a role chunk with content null before the first token; _final::to_json_oaicompat_chat_stream: an empty delta with finish_reason, then the usage chunk, timings pushed onto the last)`,
    done: `${REPO}:tools/server (the OAI-compatible stream ends with "data: [DONE]") — read from the handler as last seen, not re-read this session`,
    chatCompletion: `${REPO}:tools/server/server-task.cpp (to_json_oaicompat_chat: choices, created, id, model, object, system_fingerprint = build info, timings, usage)`,
    usage: `${REPO}:tools/server/server-task.cpp (completion_tokens, prompt_tokens, total_tokens; no reasoning_tokens; usage chunk only with include_usage)`,
    reasoning: `${REPO}:common/chat (reasoning_format deepseek: delta.reasoning_content / message.reasoning_content)`,
    refusal: 'llama.cpp has no refusal field: a model refuses in content',
    responseFormat: `${REPO}:tools/server/utils (json_object and json_schema become a grammar; any other type: 'response_format type must be one of "text" or "json_object"')`,
    errors: `${REPO}:tools/server/server-common.cpp (format_error_response: code, message, type; exceed_context_size_error with n_ctx and n_prompt_tokens; "Invalid API Key"; "Loading model" 503)`,
    modelNotFound: 'llama-server serves one model and ignores the request\'s model name (router mode aside), so an unknown model is answered',
    proxyErrors: `${PROXY_SOURCE}: no rate limit or body limit of its own (429/413)`,
    models: `${REPO}:tools/server (/v1/models: object "list", data with owned_by "llamacpp" and meta, plus an Ollama-style models array)`,
  },
  chat: {
    completion: (turn) => ({
      choices: [
        {
          finish_reason: turn.finishReason,
          index: 0,
          message: { content: turn.deltas.join(''), ...(turn.reasoning.length > 0 ? { reasoning_content: turn.reasoning.join('') } : {}), role: 'assistant' },
        },
      ],
      created: turn.created,
      id: turn.id,
      model: turn.model,
      object: 'chat.completion',
      system_fingerprint: BUILD,
      timings: timings(turn),
      usage: usage(turn),
    }),
    streamStart: (turn) => [delta(turn, { content: null, role: 'assistant' })],
    reasoningDelta: (turn, text) => delta(turn, { reasoning_content: text }),
    delta: (turn, text) => delta(turn, { content: text }),
    streamEnd(turn, { includeUsage }) {
      const finish = chunk(turn, [{ delta: {}, finish_reason: turn.finishReason, index: 0 }]);
      const last = includeUsage ? [finish, chunk(turn, [], { usage: usage(turn) })] : [finish];
      Object.assign(last[last.length - 1], { timings: timings(turn) });
      return [...last.map((c) => JSON.stringify(c)), '[DONE]'];
    },
    responseFormat: { json_schema: 'enforced', json_object: 'enforced' },
  },
  transcription: null,
  errors: {
    rateLimited: proxyPage(429, 'Too Many Requests', { 'Retry-After': '1' }),
    rateLimitedBare: proxyPage(429, 'Too Many Requests'),
    contextLength: error(400, 'request (9412 tokens) exceeds the available context size (8192 tokens), try increasing it', 'exceed_context_size_error', {
      n_ctx: 8192,
      n_prompt_tokens: 9412,
    }),
    payloadTooLarge: proxyPage(413, 'Request Entity Too Large'),
    unauthorized: error(401, 'Invalid API Key', 'authentication_error'),
    modelNotFound: null,
    serverError: error(500, 'Failed to decode the batch', 'server_error'),
    unavailable: error(503, 'Loading model', 'unavailable_error'),
    badResponseFormat: error(400, 'response_format type must be one of "text" or "json_object", but got: json_schema', 'invalid_request_error'),
  },
  models: (ids) => ({
    models: ids.map((id) => ({ name: id, model: id, modified_at: '', size: '', digest: '', type: 'model', description: '', tags: [''], capabilities: ['completion'], parameters: '', details: {} })),
    object: 'list',
    data: ids.map((id) => ({ id, object: 'model', created: 0, owned_by: 'llamacpp', meta: { n_ctx_train: 32768, n_params: 7_000_000_000, n_vocab: 151_936 } })),
  }),
};
