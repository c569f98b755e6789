/**
 * Alibaba Cloud Model Studio (DashScope) in OpenAI-compatible mode, the usual home of Qwen-VL.
 * Keys in its own order, `usage: null` on every chunk, reasoning in `delta.reasoning_content`, and
 * errors that carry a request_id next to the error object.
 */
import { jsonError, modelList } from './shared';
import type { ChatTurn, Dialect } from './types';

const DOCS = 'https://www.alibabacloud.com/help/en/model-studio';
const REQUEST_ID = '9b5f3f1e-2c4d-4c0a-9d36-5a8f0e6b7c21';

function usage(turn: ChatTurn) {
  const { promptTokens, completionTokens, reasoningTokens } = turn.usage;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    ...(reasoningTokens > 0 ? { completion_tokens_details: { reasoning_tokens: reasoningTokens } } : {}),
  };
}

const chunk = (turn: ChatTurn, choices: object[], usageValue: object | null = null) =>
  JSON.stringify({ choices, object: 'chat.completion.chunk', usage: usageValue, created: turn.created, system_fingerprint: null, model: turn.model, id: turn.id });

const piece = (turn: ChatTurn, delta: object) => chunk(turn, [{ delta, finish_reason: null, index: 0, logprobs: null }]);

const error = (status: number, code: string, message: string, type = 'invalid_request_error', headers: Record<string, string> = {}) =>
  jsonError(status, { error: { code, param: null, message, type }, id: 'chatcmpl-' + REQUEST_ID, request_id: REQUEST_ID }, headers);

export const dashscope: Dialect = {
  id: 'dashscope',
  label: 'Alibaba Model Studio (DashScope)',
  sources: {
    chatStream: `${DOCS}/compatibility-of-openai-with-dashscope (curl streaming example: key order choices, object, usage, created, system_fingerprint, model, id; role chunk with content ""; finish chunk with delta.content ""; usage chunk with choices [] when include_usage; data: [DONE])`,
    chatCompletion: `${DOCS}/compatibility-of-openai-with-dashscope (non-streaming example)`,
    usage: `${DOCS}/deep-thinking (completion_tokens include reasoning, completion_tokens_details.reasoning_tokens)`,
    reasoning: `${DOCS}/deep-thinking (delta.reasoning_content before the answer, content null meanwhile)`,
    refusal: 'no refusal field: Qwen refuses in content (content moderation is a 400 data_inspection_failed instead)',
    responseFormat: `${DOCS}/json-mode (json_object; json_schema on current models) — which VL models take json_schema is not verified`,
    errors: `${DOCS}/error-code (OpenAI-compatible errors: {"error":{code,param,message,type},"id","request_id"}; invalid_api_key, model_not_found, limit_requests, invalid_parameter_error) — messages as documented, not re-read this session`,
    payloadTooLarge: `${DOCS}/vision (a data URI over 10 MB: 400 "Exceeded limit on max bytes per data-uri item") — from memory of the docs, not verified`,
    models: `${DOCS}/compatibility-of-openai-with-dashscope (GET /compatible-mode/v1/models, owned_by "system") — not verified`,
  },
  chat: {
    completion: (turn) => ({
      choices: [
        {
          message: { role: 'assistant', content: turn.deltas.join(''), ...(turn.reasoning.length > 0 ? { reasoning_content: turn.reasoning.join('') } : {}) },
          finish_reason: turn.finishReason,
          index: 0,
          logprobs: null,
        },
      ],
      object: 'chat.completion',
      usage: usage(turn),
      created: turn.created,
      system_fingerprint: null,
      model: turn.model,
      id: turn.id,
    }),
    streamStart: (turn) => [piece(turn, { content: '', role: 'assistant' })],
    reasoningDelta: (turn, text) => piece(turn, { content: null, reasoning_content: text }),
    delta: (turn, text) => piece(turn, { content: text }),
    streamEnd: (turn, { includeUsage }) => [
      chunk(turn, [{ finish_reason: turn.finishReason, delta: { content: '' }, index: 0, logprobs: null }]),
      ...(includeUsage ? [chunk(turn, [], usage(turn))] : []),
      '[DONE]',
    ],
    responseFormat: { json_schema: 'enforced', json_object: 'enforced' },
  },
  transcription: null,
  errors: {
    rateLimited: error(429, 'limit_requests', 'Requests rate limit exceeded, please try again later.', 'limit_requests', { 'Retry-After': '1' }),
    rateLimitedBare: error(429, 'limit_requests', 'Requests rate limit exceeded, please try again later.', 'limit_requests'),
    contextLength: error(400, 'invalid_parameter_error', 'Range of input length should be [1, 129024]'),
    payloadTooLarge: error(400, 'invalid_parameter_error', 'Exceeded limit on max bytes per data-uri item : 10485760'),
    unauthorized: error(401, 'invalid_api_key', 'Incorrect API key provided. '),
    modelNotFound: error(404, 'model_not_found', 'The model `{model}` does not exist or you do not have access to it.'),
    serverError: error(500, 'internal_error', 'An internal error has occured, please try again later or contact service support.', 'internal_error'),
    unavailable: error(503, 'ServiceUnavailable', 'The service is temporarily unavailable, please try again later.', 'service_unavailable'),
    badResponseFormat: error(400, 'invalid_parameter_error', "<400> InternalError.Algo.InvalidParameter: 'response_format' json_schema is not supported by this model"),
  },
  models: (ids) => modelList(ids, 'system'),
};
