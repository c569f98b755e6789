/**
 * LM Studio's OpenAI-compatible server. Its server is closed source: the shapes come from its docs
 * and from the error bodies users quote in its bug tracker. Errors are a bare string under "error";
 * json_object is refused.
 */
import { jsonError, modelList, openAiUsage as usage, PROXY_SOURCE, proxyPage } from './shared';
import type { ChatTurn, Dialect } from './types';

const DOCS = 'https://lmstudio.ai/docs';

const chunk = (turn: ChatTurn, choices: object[], extra: object = {}) =>
  JSON.stringify({ id: turn.id, object: 'chat.completion.chunk', created: turn.created, model: turn.model, system_fingerprint: turn.model, choices, ...extra });

const piece = (turn: ChatTurn, delta: object) => chunk(turn, [{ index: 0, delta, logprobs: null, finish_reason: null }]);

const error = (status: number, message: string) => jsonError(status, { error: message });

export const lmstudio: Dialect = {
  id: 'lmstudio',
  label: 'LM Studio',
  sources: {
    chatStream: `${DOCS}/app/api/endpoints/openai (OpenAI-style chunks; system_fingerprint is the model key) — closed source, chunk fields not verified beyond the docs' examples`,
    chatCompletion: `${DOCS}/app/api/endpoints/openai (chat.completion with usage, message.reasoning for thinking models)`,
    usage: `${DOCS}/app/api/endpoints/openai (usage chunk with choices [] when include_usage, like OpenAI) — not verified`,
    reasoning: `${DOCS}/app/api/endpoints/openai ("reasoning" in the delta since 0.3.23 with the separate-reasoning setting on; older versions sent reasoning_content)`,
    refusal: 'no refusal field documented: a model refuses in content',
    responseFormat: `${DOCS}/advanced/structured-output (json_schema enforced) and lmstudio-ai/lmstudio-bug-tracker#189, #307 (json_object answered 400 {"error":"'response_format.type' must be 'json_schema' or 'text'"})`,
    errors: 'lmstudio-ai/lmstudio-bug-tracker issues quote {"error":"<message>"} bodies; the messages for an unknown model, context overflow and crash are not verified',
    proxyErrors: `${PROXY_SOURCE}: LM Studio has optional keys but no rate limit or body limit documented (429/413/503)`,
    models: `${DOCS}/app/api/endpoints/openai (GET /v1/models, owned_by "organization_owner")`,
  },
  chat: {
    completion: (turn) => ({
      id: turn.id,
      object: 'chat.completion',
      created: turn.created,
      model: turn.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: turn.deltas.join(''), ...(turn.reasoning.length > 0 ? { reasoning: turn.reasoning.join('') } : {}), tool_calls: [] },
          logprobs: null,
          finish_reason: turn.finishReason,
        },
      ],
      usage: usage(turn),
      stats: {},
      system_fingerprint: turn.model,
    }),
    streamStart: (turn) => [piece(turn, { role: 'assistant', content: '' })],
    reasoningDelta: (turn, text) => piece(turn, { reasoning: text }),
    delta: (turn, text) => piece(turn, { content: text }),
    streamEnd: (turn, { includeUsage }) => [
      chunk(turn, [{ index: 0, delta: {}, logprobs: null, finish_reason: turn.finishReason }]),
      ...(includeUsage ? [chunk(turn, [], { usage: usage(turn) })] : []),
      '[DONE]',
    ],
    responseFormat: { json_schema: 'enforced', json_object: 'rejected' },
  },
  transcription: null,
  errors: {
    rateLimited: proxyPage(429, 'Too Many Requests', { 'Retry-After': '1' }),
    rateLimitedBare: proxyPage(429, 'Too Many Requests'),
    contextLength: error(400, 'The number of tokens to keep from the initial prompt is greater than the context length. Try to load the model with a larger context length, or provide a shorter input'),
    payloadTooLarge: proxyPage(413, 'Request Entity Too Large'),
    unauthorized: error(401, 'Invalid or missing API token'),
    modelNotFound: error(404, 'Model "{model}" not found. Please specify a valid model.'),
    serverError: error(500, 'The model has crashed without additional information. (Exit code: null)'),
    unavailable: proxyPage(503, 'Service Temporarily Unavailable'),
    badResponseFormat: error(400, "'response_format.type' must be 'json_schema' or 'text'"),
  },
  models: (ids) => modelList(ids, 'organization_owner'),
};
