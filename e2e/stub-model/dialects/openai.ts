/**
 * OpenAI itself. The default dialect: its answers are the ones the stub always gave, so the whole
 * suite keeps passing byte for byte (see `sources` for the two places the stub is plainer).
 */
import { jsonError, modelList, proxyPage, subtitles } from './shared';
import type { ChatTurn, Dialect } from './types';

const REF = 'https://platform.openai.com/docs/api-reference';

const base = (turn: ChatTurn) => ({ id: turn.id, created: turn.created, model: turn.model, system_fingerprint: 'fp_stub' });

function usage(turn: ChatTurn) {
  const { promptTokens, completionTokens, reasoningTokens } = turn.usage;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    ...(reasoningTokens > 0 ? { completion_tokens_details: { reasoning_tokens: reasoningTokens } } : {}),
  };
}

// Every chunk carries `usage: null` once usage was asked for; only the last one fills it.
const chunk = (turn: ChatTurn, delta: object, finishReason: string | null = null) =>
  JSON.stringify({
    ...base(turn),
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(turn.includeUsage ? { usage: null } : {}),
  });

const error = (status: number, message: string, type: string, code: string | null, param: string | null = null, headers: Record<string, string> = {}) =>
  jsonError(status, { error: { message, type, param, code } }, headers);

export const openai: Dialect = {
  id: 'openai',
  label: 'OpenAI',
  sources: {
    chatStream: `${REF}/chat-streaming/streaming (role chunk with content "", one empty delta with finish_reason, usage chunk with choices [] when include_usage, then [DONE])`,
    chatCompletion: `${REF}/chat/object (message with content; refusal instead of content when refusing)`,
    usage: `${REF}/chat/object#usage — OpenAI also sends prompt_tokens_details and zero completion_tokens_details on every answer; the stub sends reasoning_tokens only when there are some, to keep its default answers as they were`,
    reasoning: 'https://platform.openai.com/docs/guides/reasoning — Chat Completions never returns the reasoning text, only usage.completion_tokens_details.reasoning_tokens',
    refusal: 'https://platform.openai.com/docs/guides/structured-outputs#refusals (delta.refusal / message.refusal, content null)',
    responseFormat: `${REF}/chat/create#chat-create-response_format (json_schema and json_object both enforced)`,
    transcription: `${REF}/audio/verbose-json-object — whisper-1 names the language ("english"); the stub keeps its "en", which the suite's transcripts depend on`,
    errors: 'https://platform.openai.com/docs/guides/error-codes ({"error":{"message","type","param","code"}}, context_length_exceeded, invalid_api_key, model_not_found)',
    payloadTooLarge: 'not documented; the edge in front of api.openai.com (Cloudflare) answers with its HTML page — not verified here',
    models: `${REF}/models/list`,
  },
  chat: {
    completion: (turn) => ({
      ...base(turn),
      object: 'chat.completion',
      choices: [
        {
          index: 0,
          message: turn.refusal ? { role: 'assistant', content: null, refusal: turn.refusal } : { role: 'assistant', content: turn.deltas.join('') },
          logprobs: null,
          finish_reason: turn.finishReason,
        },
      ],
      usage: usage(turn),
    }),
    streamStart: (turn) => [chunk(turn, turn.refusal ? { role: 'assistant', content: null, refusal: '' } : { role: 'assistant', content: '' })],
    reasoningDelta: () => null,
    delta: (turn, text) => chunk(turn, turn.refusal ? { refusal: text } : { content: text }),
    streamEnd: (turn, { includeUsage }) => [
      chunk(turn, {}, turn.finishReason),
      ...(includeUsage ? [JSON.stringify({ ...base(turn), object: 'chat.completion.chunk', choices: [], usage: usage(turn) })] : []),
      '[DONE]',
    ],
    responseFormat: { json_schema: 'enforced', json_object: 'enforced' },
  },
  transcription: {
    answer(format, heard) {
      if (format === 'json') return { contentType: 'application/json', body: JSON.stringify({ text: heard.text }) };
      if (format === 'text') return { contentType: 'text/plain; charset=utf-8', body: `${heard.text}\n` };
      if (format === 'srt' || format === 'vtt') return { contentType: 'text/plain; charset=utf-8', body: subtitles(heard, format) };
      const segments = heard.segments.map((s, id) => ({ id, seek: 0, ...s, tokens: [], temperature: 0, avg_logprob: -0.1, compression_ratio: 1, no_speech_prob: 0 }));
      return { contentType: 'application/json', body: JSON.stringify({ task: 'transcribe', language: heard.language, duration: heard.duration, text: heard.text, segments }) };
    },
  },
  errors: {
    rateLimited: error(429, 'Rate limit reached for the stub model on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.', 'requests', 'rate_limit_exceeded', null, { 'retry-after': '20' }),
    rateLimitedBare: error(429, 'You exceeded your current quota, please check your plan and billing details.', 'insufficient_quota', 'insufficient_quota'),
    contextLength: error(
      400,
      "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.",
      'invalid_request_error',
      'context_length_exceeded',
      'messages',
    ),
    payloadTooLarge: proxyPage(413, 'Request Entity Too Large', {}, 'cloudflare'),
    unauthorized: error(401, 'Incorrect API key provided: unused. You can find your API key at https://platform.openai.com/account/api-keys.', 'invalid_request_error', 'invalid_api_key'),
    modelNotFound: error(404, 'The model `{model}` does not exist or you do not have access to it.', 'invalid_request_error', 'model_not_found'),
    serverError: error(500, 'The server had an error while processing your request. Sorry about that!', 'server_error', null),
    unavailable: error(503, 'The engine is currently overloaded, please try again later.', 'server_error', null),
    badResponseFormat: error(400, "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.", 'invalid_request_error', null, 'response_format'),
  },
  models: (ids) => modelList(ids, 'system'),
};
