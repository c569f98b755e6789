import { APICallError } from '@ai-sdk/provider';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { classifyProviderError, isPermanent, serverName } from '@/lib/ai/provider-errors';

function failure(statusCode: number | undefined, body: string, options: { url?: string; headers?: Record<string, string>; model?: string; message?: string } = {}) {
  return new APICallError({
    message: options.message ?? `HTTP ${statusCode}`,
    url: options.url ?? 'http://gpu-box:8000/v1/chat/completions',
    requestBodyValues: { model: options.model ?? 'qwen2.5-vl' },
    statusCode,
    responseHeaders: options.headers,
    responseBody: body,
    isRetryable: statusCode === undefined || statusCode === 429 || statusCode >= 500,
  });
}

afterEach(() => vi.unstubAllEnvs());

describe('classifyProviderError', () => {
  it.each([
    ['vLLM context overflow', 400, '{"object":"error","message":"This model\'s maximum context length is 32768 tokens. However, you requested 40000 tokens.","type":"BadRequestError","param":null,"code":400}', 'context', 32768],
    ['llama.cpp context overflow', 400, '{"error":{"code":400,"message":"the request exceeds the available context size, try increasing it","type":"exceed_context_size_error","n_prompt_tokens":5000,"n_ctx":4096}}', 'context', 4096],
    ['OpenAI context overflow', 400, '{"error":{"message":"This model\'s maximum context length is 128000 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}', 'context', 128000],
    ['DashScope input length', 400, '{"error":{"code":"invalid_parameter_error","message":"Range of input length should be [1, 30720]","type":"invalid_request_error"},"request_id":"r"}', 'context', 30720],
  ])('%s is a context overflow, with the window it names', (_name, status, body, kind, window) => {
    const read = classifyProviderError(failure(status, body))!;
    expect(read).toMatchObject({ kind, retry: 'never', contextTokens: window });
    expect(read.message).toBe(`The question and what it is about are longer than the model's context window (${window.toLocaleString('en-US')} tokens).`);
  });

  it.each([
    [429, '{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}', { 'retry-after': '7' }, 'rate-limit', 'wait'],
    [429, '{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}', {}, 'auth', 'never'],
    [503, '{"error":{"message":"Loading model","type":"unavailable_error","code":503}}', {}, 'transient', 'backoff'],
    [500, 'Internal Server Error', {}, 'transient', 'backoff'],
    [413, '<html><head><title>413 Request Entity Too Large</title></head><body>nginx</body></html>', {}, 'too-large', 'shrink'],
    [400, '{"error":{"message":"Request body too large"}}', {}, 'too-large', 'shrink'],
    [401, '{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}', {}, 'auth', 'never'],
    [404, '{"error":{"message":"model \\"llava:13b\\" not found, try pulling it first","type":"api_error"}}', {}, 'model', 'never'],
    [400, '{"error":{"message":"The model `qwen-vl-max-x` does not exist","code":"model_not_found"}}', {}, 'model', 'never'],
    [400, '{"error":{"code":"data_inspection_failed","message":"Input data may contain inappropriate content."}}', {}, 'refused', 'never'],
    [400, '{"error":{"message":"temperature must be between 0 and 2"}}', {}, 'rejected', 'never'],
  ] as const)('HTTP %i %s → %s', (status, body, headers, kind, retry) => {
    const read = classifyProviderError(failure(status, body, { headers }))!;
    expect(read.kind).toBe(kind);
    expect(read.retry).toBe(retry);
    if (kind === 'rate-limit') expect(read.retryAfterMs).toBe(7000);
  });

  it('calls an answer of the wrong shape with a 200 unreadable, never "HTTP 200", and permanent', () => {
    const error = failure(200, '{"segments":[{"id":0}]}', { message: 'Invalid JSON response' });
    const read = classifyProviderError(error)!;
    expect(read.kind).toBe('unreadable');
    expect(read.message).not.toMatch(/HTTP 200/);
    expect(read.message).toBe("The model server sent an answer Glimpse could not read (not the JSON an OpenAI-compatible server sends). Check that it speaks the OpenAI API at that address.");
    expect(isPermanent(error)).toBe(true);
  });

  it('says a server could not be reached when no status came back, and that is worth a retry', () => {
    const read = classifyProviderError(failure(undefined, ''))!;
    expect(read).toMatchObject({ kind: 'transient', retry: 'backoff', message: 'Could not reach the model server. Check that it is running and reachable.' });
  });

  it('names who failed without giving away an address', () => {
    expect(serverName('https://api.openai.com/v1/chat/completions')).toBe('OpenAI');
    expect(serverName('https://dashscope-intl.aliyuncs.com/compatible-mode/v1/chat/completions')).toBe('DashScope');
    expect(serverName('http://10.0.0.5:8080/v1/audio/transcriptions')).toBe('the transcription server');
    expect(serverName('http://10.0.0.5:8000/v1/chat/completions')).toBe('the model server');
    vi.stubEnv('MODEL_SERVER_NAME', 'vLLM on gpu-box');
    expect(classifyProviderError(failure(500, 'x'))!.message).toBe('vLLM on gpu-box failed (HTTP 500). Try again, or pick another model.');
    expect(classifyProviderError(failure(404, '{"error":"no such model"}'))!.message).toBe('vLLM on gpu-box does not have the model “qwen2.5-vl” (HTTP 404). Pick another model, or check the model names configured.');
  });

  it('is null for what did not come from a model server', () => {
    expect(classifyProviderError(new Error('bug'))).toBeNull();
    expect(isPermanent(new Error('bug'))).toBe(false);
  });
});
