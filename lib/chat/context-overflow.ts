import type { ModelMessage } from 'ai';
import { classifyProviderError } from '@/lib/ai/provider-errors';
import { describeModelError } from '@/lib/chat/model-errors';

// A rough tokens-per-character for naming the largest input; the server counted the real ones.
const CHARS_PER_TOKEN = 4;
// What an image costs in a typical budget, for comparing images with text.
const TOKENS_PER_IMAGE = 1000;

interface Input {
  name: string;
  tokens: number;
}

/** Each part of the request in words a person knows: a recording's transcript, a video's timeline, the images, the history. */
function inputsOf(messages: ModelMessage[]): Input[] {
  const inputs: Input[] = [];
  let images = 0;
  let history = 0;
  const last = messages.findLastIndex((m) => m.role === 'user');
  messages.forEach((message, index) => {
    const parts = typeof message.content === 'string' ? [{ type: 'text' as const, text: message.content }] : message.content;
    for (const part of parts) {
      if (part.type === 'image' || part.type === 'file') images++;
      if (part.type !== 'text') continue;
      const tokens = Math.ceil(part.text.length / CHARS_PER_TOKEN);
      const recording = /^Recording "([^"]+)"/.exec(part.text);
      const video = /^Video "([^"]+)"/.exec(part.text);
      if (recording) inputs.push({ name: `the transcript of “${recording[1]}”`, tokens });
      else if (video) inputs.push({ name: `the timeline of “${video[1]}”`, tokens });
      else if (index === last) inputs.push({ name: 'the question', tokens });
      else history += tokens;
    }
  });
  if (images > 0) inputs.push({ name: images === 1 ? 'the image' : `the ${images} images`, tokens: images * TOKENS_PER_IMAGE });
  if (history > 0) inputs.push({ name: 'the conversation so far', tokens: history });
  return inputs;
}

/**
 * What a person is told when an answer fails: for a context overflow, which input is the largest
 * (and so what to shorten or leave out); any other failure as describeModelError says it.
 */
export function describeAnswerFailure(error: unknown, messages: ModelMessage[]): string {
  const message = describeModelError(error);
  if (classifyProviderError(error)?.kind !== 'context') return message;
  const largest = inputsOf(messages).sort((a, b) => b.tokens - a.tokens)[0];
  if (!largest) return message;
  return `${message} The largest part is ${largest.name} (about ${largest.tokens.toLocaleString('en-US')} tokens): start a new conversation, ask about less at once, or pick a model with a larger context.`;
}
