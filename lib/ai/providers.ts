import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModelV4 } from '@ai-sdk/provider';
import { extractReasoningMiddleware, wrapLanguageModel } from 'ai';
import type { ModelSpec } from '@/lib/ai/catalog';
import { ollamaBaseUrl } from '@/lib/ai/registry';
import { structuredOutputFallback } from '@/lib/ai/structured-output';

// Providers are getters: read the environment at call time so tests and restarts see current values.
const getOpenAI = () => createOpenAI({ apiKey: process.env.OPENAI_API_KEY, baseURL: process.env.OPENAI_BASE_URL || undefined });

const getCompatible = () =>
  createOpenAICompatible({
    name: 'compatible',
    baseURL: process.env.OPENAI_COMPATIBLE_BASE_URL ?? '',
    apiKey: process.env.OPENAI_COMPATIBLE_API_KEY || undefined,
    includeUsage: true,
    // Sends the JSON schema itself (response_format json_schema), which vLLM, LM Studio and Ollama
    // enforce while generating; structuredOutputFallback steps down for a server that refuses it.
    supportsStructuredOutputs: true,
  });

const getOllama = () => createOpenAICompatible({ name: 'ollama', baseURL: `${ollamaBaseUrl()}/v1`, includeUsage: true, supportsStructuredOutputs: true });

/**
 * Thinking models on servers that do not split their reasoning out (vLLM without a reasoning
 * parser, llama.cpp with `--reasoning-format none`, older Ollama) write it inline as <think>…</think>;
 * it becomes reasoning here, like `reasoning_content` elsewhere, so it is never taken for the answer.
 */
const thinkTags = extractReasoningMiddleware({ tagName: 'think' });

export function languageModel(spec: ModelSpec): LanguageModelV4 {
  switch (spec.provider) {
    case 'openai':
      return getOpenAI()(spec.name);
    case 'compatible':
      return wrapLanguageModel({ model: getCompatible()(spec.name), middleware: [structuredOutputFallback(spec.id), thinkTags] });
    case 'ollama':
      return wrapLanguageModel({ model: getOllama()(spec.name), middleware: [structuredOutputFallback(spec.id), thinkTags] });
  }
}
