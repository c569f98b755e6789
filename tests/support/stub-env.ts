import { vi } from 'vitest';

/**
 * Points the app at the stub model server at `url` (its OpenAI-compatible base URL) and at nothing
 * else, whatever the developer's environment holds: the stub's chat model stub-vision is the only
 * one, no OpenAI key, Ollama at a closed port, no fallback or default model. `transcription` names
 * the transcription model (e.g. compatible:stub-whisper); without it TRANSCRIPTION_MODEL is left as it is.
 */
export function pointAtStub(url: string, { transcription }: { transcription?: string } = {}) {
  vi.stubEnv('OPENAI_API_KEY', undefined);
  vi.stubEnv('OPENAI_COMPATIBLE_MODELS', 'stub-vision');
  vi.stubEnv('OPENAI_COMPATIBLE_API_KEY', 'unused');
  vi.stubEnv('OLLAMA_BASE_URL', 'http://127.0.0.1:9');
  vi.stubEnv('FALLBACK_MODELS', undefined);
  vi.stubEnv('DEFAULT_MODEL', undefined);
  vi.stubEnv('OPENAI_COMPATIBLE_BASE_URL', url);
  if (transcription !== undefined) vi.stubEnv('TRANSCRIPTION_MODEL', transcription);
}
