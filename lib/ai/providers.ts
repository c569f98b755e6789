import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModelV4 } from '@ai-sdk/provider';
import type { ModelSpec } from '@/lib/ai/catalog';
import { ollamaBaseUrl } from '@/lib/ai/registry';

// Providers are getters: read the environment at call time so tests and restarts see current values.
const getOpenAI = () => createOpenAI({ apiKey: process.env.OPENAI_API_KEY, baseURL: process.env.OPENAI_BASE_URL || undefined });

const getCompatible = () =>
  createOpenAICompatible({
    name: 'compatible',
    baseURL: process.env.OPENAI_COMPATIBLE_BASE_URL ?? '',
    apiKey: process.env.OPENAI_COMPATIBLE_API_KEY || undefined,
    includeUsage: true,
    // Sends the JSON schema itself (response_format json_schema), which vLLM, LM Studio and Ollama
    // enforce while generating; a server that rejects it can be told to get plain json_object instead.
    supportsStructuredOutputs: process.env.COMPATIBLE_STRUCTURED_OUTPUTS !== '0',
  });

const getOllama = () => createOpenAICompatible({ name: 'ollama', baseURL: `${ollamaBaseUrl()}/v1`, includeUsage: true, supportsStructuredOutputs: true });

export function languageModel(spec: ModelSpec): LanguageModelV4 {
  switch (spec.provider) {
    case 'openai':
      return getOpenAI()(spec.name);
    case 'compatible':
      return getCompatible()(spec.name);
    case 'ollama':
      return getOllama()(spec.name);
  }
}
