/** Every dialect by id, so the stub, the CLI and the tests pick one by name. */
import { dashscope } from './dashscope';
import { llamacpp } from './llamacpp';
import { localai } from './localai';
import { lmstudio } from './lmstudio';
import { ollama } from './ollama';
import { openai } from './openai';
import { speaches } from './speaches';
import { DIALECT_IDS, type Dialect, type DialectId } from './types';
import { vllm } from './vllm';
import { whispercpp } from './whispercpp';

export const DIALECTS: Record<DialectId, Dialect> = { openai, vllm, ollama, lmstudio, llamacpp, dashscope, whispercpp, speaches, localai };

export function isDialectId(id: unknown): id is DialectId {
  return typeof id === 'string' && (DIALECT_IDS as readonly string[]).includes(id);
}

/** The dialect for an id, failing loudly on a typo (a CLI flag, an env variable, /__config). */
export function dialectById(id: string): Dialect {
  if (!isDialectId(id)) throw new Error(`unknown stub dialect "${id}"; one of ${DIALECT_IDS.join(', ')}`);
  return DIALECTS[id];
}
