/**
 * Ollama's native /api/tags and /api/show, which lib/ai/registry.ts probes to find vision models
 * (shapes: ollama/ollama:api/types.go ListModelResponse and ShowResponse).
 */
const details = { parent_model: '', format: 'gguf', family: 'qwen25vl', families: ['qwen25vl'], parameter_size: '8.3B', quantization_level: 'Q4_K_M' };
const MODIFIED = '2025-01-01T00:00:00Z';

export const ollamaTags = (ids: readonly string[]) => ({
  models: ids.map((id) => ({ name: id, model: id, modified_at: MODIFIED, size: 6_000_000_000, digest: `sha256:${'0'.repeat(64)}`, details })),
});

export const ollamaShow = (id: string) => ({
  modelfile: `FROM ${id}\n`,
  parameters: 'temperature 0.1',
  template: '{{ .Prompt }}',
  details,
  model_info: { 'general.architecture': 'qwen25vl', 'qwen25vl.context_length': 128_000 },
  capabilities: ['completion', 'vision'],
  modified_at: MODIFIED,
});
