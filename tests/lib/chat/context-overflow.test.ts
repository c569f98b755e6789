import { APICallError } from '@ai-sdk/provider';
import type { ModelMessage } from 'ai';
import { describe, expect, it, vi } from 'vitest';
import { describeAnswerFailure } from '@/lib/chat/context-overflow';

const overflow = new APICallError({
  message: 'Bad Request',
  url: 'http://gpu-box:8000/v1/chat/completions',
  requestBodyValues: {},
  statusCode: 400,
  responseBody: '{"object":"error","message":"This model\'s maximum context length is 8192 tokens. However, you requested 12000 tokens.","type":"BadRequestError","code":400}',
  isRetryable: false,
});

describe('describeAnswerFailure', () => {
  it('names the largest input of an overflowing request: here a recording’s transcript', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const messages: ModelMessage[] = [
      { role: 'user', content: 'Earlier question' },
      { role: 'assistant', content: 'Earlier answer' },
      { role: 'user', content: [{ type: 'text', text: `Recording "meeting.wav", 1:02:03 long.\n${'words '.repeat(8000)}` }, { type: 'text', text: 'What was decided?' }] },
    ];
    expect(describeAnswerFailure(overflow, messages)).toBe(
      "The question and what it is about are longer than the model's context window (8,192 tokens). The largest part is the transcript of “meeting.wav” (about 12,010 tokens): start a new conversation, ask about less at once, or pick a model with a larger context.",
    );
  });

  it('names a long conversation when the history is the largest part', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const messages: ModelMessage[] = [
      ...Array.from({ length: 20 }, (_, i): ModelMessage => ({ role: i % 2 ? 'assistant' : 'user', content: 'x'.repeat(4000) })),
      { role: 'user', content: 'And now?' },
    ];
    expect(describeAnswerFailure(overflow, messages)).toMatch(/The largest part is the conversation so far \(about 20,000 tokens\)/);
  });

  it('leaves other failures as the model error says them', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const down = new APICallError({ message: 'x', url: 'http://m', requestBodyValues: {}, statusCode: 503, isRetryable: true });
    expect(describeAnswerFailure(down, [{ role: 'user', content: 'hi' }])).toBe('The model server failed (HTTP 503). Try again, or pick another model.');
  });
});
