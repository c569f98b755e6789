/**
 * vLLM's OpenAI-compatible server. Pydantic models dumped with `exclude_unset`, so a chunk has only
 * the fields vLLM set: the last answer chunk carries finish_reason (no empty finish chunk), usage
 * comes in its own chunk, reasoning in `delta.reasoning`.
 */
import { jsonError, PROXY_SOURCE, proxyPage } from './shared';
import type { ChatTurn, Dialect } from './types';

const REPO = 'vllm-project/vllm';

const usage = (turn: ChatTurn) => ({
  prompt_tokens: turn.usage.promptTokens,
  total_tokens: turn.usage.promptTokens + turn.usage.completionTokens,
  completion_tokens: turn.usage.completionTokens,
});

const chunk = (turn: ChatTurn, choice: object) =>
  JSON.stringify({ id: turn.id, object: 'chat.completion.chunk', created: turn.created, model: turn.model, choices: [{ index: 0, ...choice }] });

/** The last token's chunk is also the finishing one. */
// The finish reason rides on the last token's chunk, whichever it is: an answer's, or the reasoning's
// when the model never got to answer.
const lastChunk = (turn: ChatTurn, delta: object, last: boolean) =>
  chunk(turn, last ? { delta, logprobs: null, finish_reason: turn.finishReason, stop_reason: null } : { delta, logprobs: null, finish_reason: null });

const error = (status: number, message: string, type: string, param: string | null = null) => jsonError(status, { error: { message, type, param, code: status } });

export const vllm: Dialect = {
  id: 'vllm',
  label: 'vLLM',
  sources: {
    chatStream: `${REPO}:vllm/entrypoints/openai/chat_completion/protocol.py (ChatCompletionStreamResponse, ChatCompletionResponseStreamChoice with stop_reason) and serving.py (role chunk with content "", finish_reason on the last token's chunk, model_dump_json(exclude_unset=True))`,
    chatCompletion: `${REPO}:vllm/entrypoints/openai/chat_completion/protocol.py (ChatMessage with refusal/reasoning null, choice with stop_reason and token_ids)`,
    usage: `${REPO}:vllm/entrypoints/openai/engine/protocol.py (UsageInfo: prompt_tokens, total_tokens, completion_tokens; no reasoning_tokens) — a final chunk with choices [] when include_usage`,
    reasoning: `${REPO}:vllm/entrypoints/openai/chat_completion/protocol.py (ChatMessage.reasoning; DeltaMessage.reasoning — before v0.11 the field was reasoning_content)`,
    refusal: 'vLLM models refuse in plain content; ChatMessage.refusal exists but stays null',
    responseFormat: `${REPO}:vllm/entrypoints/openai/engine/protocol.py (ResponseFormat: text, json_object, json_schema, all enforced by structured outputs)`,
    transcription: `${REPO}:vllm/entrypoints/openai/speech_to_text protocol (TranscriptionResponse with usage {type: duration, seconds}; TranscriptionResponseVerbose.duration is a str; srt/vtt refused: "Currently only support response_format: \`text\`, \`json\` or \`verbose_json\`")`,
    errors: `${REPO}:vllm/entrypoints/openai/engine/protocol.py (ErrorResponse {"error":{message,type,param,code:int}}); context message as vLLM words it (quoted by clients parsing it); --api-key middleware answers {"error":"Unauthorized"}`,
    proxyErrors: `${PROXY_SOURCE}: no rate limit, body limit or overload status of its own (429/413/503)`,
    models: `${REPO}:vllm/entrypoints/openai/engine/protocol.py (ModelList, ModelCard with owned_by "vllm", root, max_model_len, permission)`,
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
          message: { role: 'assistant', content: turn.deltas.join(''), refusal: null, annotations: null, audio: null, function_call: null, reasoning: turn.reasoning.length > 0 ? turn.reasoning.join('') : null },
          logprobs: null,
          finish_reason: turn.finishReason,
          stop_reason: null,
          token_ids: null,
        },
      ],
      service_tier: null,
      system_fingerprint: null,
      usage: { ...usage(turn), prompt_tokens_details: null },
      prompt_logprobs: null,
      prompt_token_ids: null,
      kv_transfer_params: null,
    }),
    streamStart: (turn) => [chunk(turn, { delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null })],
    reasoningDelta: (turn, text, index) => lastChunk(turn, { reasoning: text }, turn.deltas.length === 0 && index === turn.reasoning.length - 1),
    delta: (turn, text, index) => lastChunk(turn, { content: text }, index === turn.deltas.length - 1),
    streamEnd: (turn, { includeUsage }) => [
      ...(includeUsage ? [JSON.stringify({ id: turn.id, object: 'chat.completion.chunk', created: turn.created, model: turn.model, choices: [], usage: usage(turn) })] : []),
      '[DONE]',
    ],
    responseFormat: { json_schema: 'enforced', json_object: 'enforced' },
  },
  transcription: {
    answer(format, heard) {
      if (format === 'json') return { contentType: 'application/json', body: JSON.stringify({ text: heard.text, usage: { type: 'duration', seconds: Math.ceil(heard.duration) } }) };
      if (format === 'text') return { contentType: 'text/plain; charset=utf-8', body: heard.text };
      if (format !== 'verbose_json') return null;
      const segments = heard.segments.map((s, id) => ({ id, avg_logprob: -0.1, compression_ratio: 1, end: s.end, no_speech_prob: 0, seek: 0, start: s.start, temperature: 0, text: s.text, tokens: [] }));
      return { contentType: 'application/json', body: JSON.stringify({ duration: String(heard.duration), language: heard.language, text: heard.text, segments, words: null }) };
    },
  },
  errors: {
    rateLimited: proxyPage(429, 'Too Many Requests', { 'Retry-After': '1' }),
    rateLimitedBare: proxyPage(429, 'Too Many Requests'),
    contextLength: error(
      400,
      "This model's maximum context length is 16384 tokens. However, you requested 8192 output tokens and your prompt contains at least 8193 input tokens, for a total of at least 16385 tokens.",
      'BadRequestError',
    ),
    payloadTooLarge: proxyPage(413, 'Request Entity Too Large'),
    unauthorized: jsonError(401, { error: 'Unauthorized' }),
    modelNotFound: error(404, 'The model `{model}` does not exist.', 'NotFoundError', 'model'),
    serverError: error(500, 'EngineCore encountered an issue. See stack trace (above) for the root cause.', 'InternalServerError'),
    unavailable: proxyPage(503, 'Service Temporarily Unavailable'),
    badResponseFormat: error(400, 'Currently only support response_format: `text`, `json` or `verbose_json`', 'BadRequestError'),
  },
  models: (ids) => ({
    object: 'list',
    data: ids.map((id) => ({ id, object: 'model', created: 0, owned_by: 'vllm', root: id, parent: null, max_model_len: 32768, permission: [] })),
  }),
};
