/**
 * Ollama's OpenAI-compatible endpoint (/v1). Go structs with omitempty: no logprobs, the role rides on
 * the first token's chunk, reasoning in `delta.reasoning`, a dedicated empty finish chunk, usage
 * in its own chunk with choices []. Its native /api/tags and /api/show live in server.ts.
 */
import { jsonError, openAiUsage as usage, PROXY_SOURCE, proxyPage } from './shared';
import type { ChatTurn, Dialect } from './types';

const REPO = 'ollama/ollama';

const chunk = (turn: ChatTurn, choices: object[], extra: object = {}) =>
  JSON.stringify({ id: turn.id, object: 'chat.completion.chunk', created: turn.created, model: turn.model, system_fingerprint: 'fp_ollama', choices, ...extra });

const role = (first: boolean) => (first ? { role: 'assistant' } : {});

/** json.NewEncoder adds a newline after the body. */
const error = (status: number, message: string) => {
  const type = status === 400 ? 'invalid_request_error' : status === 404 ? 'not_found_error' : 'api_error';
  const answer = jsonError(status, { error: { message, type, param: null, code: null } });
  return { ...answer, body: `${answer.body}\n` };
};

export const ollama: Dialect = {
  id: 'ollama',
  label: 'Ollama',
  sources: {
    chatStream: `${REPO}:middleware/openai.go (ChatWriter: role only on the first chunk, FinishChunk with an empty delta, a usage chunk with choices [] when include_usage, then [DONE]) and openai/openai.go (toChunk, ToStreamChunks)`,
    chatCompletion: `${REPO}:openai/openai.go (ToChatCompletion: system_fingerprint "fp_ollama", message.reasoning)`,
    usage: `${REPO}:openai/openai.go (Usage: prompt_tokens, completion_tokens, total_tokens; thinking counts in eval_count; no reasoning_tokens)`,
    reasoning: `${REPO}:openai/openai.go (Delta.reasoning from message.thinking; a reasoning chunk keeps "content":"")`,
    refusal: 'Ollama has no refusal field: a model refuses in content',
    responseFormat: `${REPO}:openai/openai.go (json_object → format "json", json_schema → its schema; both enforced)`,
    errors: `${REPO}:openai/openai.go (NewError: invalid_request_error / not_found_error / api_error, param and code null) and server/routes.go (handleScheduleError: 'model %q not found, try pulling it first'; ErrMaxQueue 503)`,
    contextLength: `${REPO}:llm/llama_server.go (400 "the prompt is longer than the context length…" when context shift is off; by default Ollama truncates instead)`,
    badResponseFormat: `${REPO}:llm/llama_server.go ('invalid format: %q; expected "json" or a valid JSON Schema object')`,
    proxyErrors: `${PROXY_SOURCE}: no API keys, rate limit or body limit of its own (401/429/413)`,
    models: `${REPO}:openai/openai.go (ToListCompletion: owned_by is the name's namespace, "library" for library models)`,
    nativeApi: `${REPO}:api/types.go (ListResponse/ListModelResponse for /api/tags, ShowResponse with capabilities for /api/show)`,
  },
  chat: {
    completion: (turn) => ({
      id: turn.id,
      object: 'chat.completion',
      created: turn.created,
      model: turn.model,
      system_fingerprint: 'fp_ollama',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: turn.deltas.join(''), ...(turn.reasoning.length > 0 ? { reasoning: turn.reasoning.join('') } : {}) },
          finish_reason: turn.finishReason,
        },
      ],
      usage: usage(turn),
    }),
    streamStart: () => [],
    reasoningDelta: (turn, text, index) => chunk(turn, [{ index: 0, delta: { ...role(index === 0), content: '', reasoning: text }, finish_reason: null }]),
    delta: (turn, text, index) => chunk(turn, [{ index: 0, delta: { ...role(index === 0 && turn.reasoning.length === 0), content: text }, finish_reason: null }]),
    streamEnd: (turn, { includeUsage }) => [
      chunk(turn, [{ index: 0, delta: {}, finish_reason: turn.finishReason }]),
      ...(includeUsage ? [chunk(turn, [], { usage: usage(turn) })] : []),
      '[DONE]',
    ],
    responseFormat: { json_schema: 'enforced', json_object: 'enforced' },
  },
  transcription: null,
  errors: {
    rateLimited: proxyPage(429, 'Too Many Requests', { 'Retry-After': '1' }),
    rateLimitedBare: proxyPage(429, 'Too Many Requests'),
    contextLength: error(
      400,
      'the prompt is longer than the context length currently available to the model; shorten the prompt, adjust the context length in settings, or use a model with a longer context length',
    ),
    payloadTooLarge: proxyPage(413, 'Request Entity Too Large'),
    unauthorized: proxyPage(401, 'Authorization Required'),
    modelNotFound: error(404, 'model "{model}" not found, try pulling it first'),
    serverError: error(500, 'llama runner process has terminated: exit status 2'),
    unavailable: error(503, 'server busy, please try again.  maximum pending requests exceeded'),
    badResponseFormat: error(500, 'invalid format: "{}"; expected "json" or a valid JSON Schema object'),
  },
  models: (ids) => ({ object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 0, owned_by: 'library' })) }),
};
