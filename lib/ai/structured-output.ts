import { APICallError } from '@ai-sdk/provider';
import type { LanguageModelV4CallOptions, LanguageModelV4Middleware, LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { providerMessage } from '@/lib/ai/provider-errors';

/**
 * How a model is asked for JSON of a schema. vLLM, Ollama and llama.cpp enforce `json_schema`
 * while generating; other servers refuse it with a 400 (or refuse `json_object`, as LM Studio
 * does), and some take neither. A refusal steps down — json_schema → json_object with the schema
 * in the prompt → the schema in the prompt alone — and the step that worked is remembered per model,
 * so only the first request to such a server pays for the refusal.
 */
export type StructuredMode = 'json_schema' | 'json_object' | 'prompt';

const NEXT: Record<StructuredMode, StructuredMode | null> = { json_schema: 'json_object', json_object: 'prompt', prompt: null };
const remembered = new Map<string, StructuredMode>();

/** The line before the schema in the prompt; the stub model looks for it (e2e/stub-model). */
export const SCHEMA_HEADING = 'JSON schema of the answer:';

/** What a server says when it does not take a response_format, in the words the fixtures record. */
function refusesFormat(error: unknown): boolean {
  if (!APICallError.isInstance(error) || error.statusCode === undefined) return false;
  if (error.statusCode !== 400 && error.statusCode !== 404 && error.statusCode !== 422 && error.statusCode !== 500 && error.statusCode !== 501) return false;
  return /response_format|json_schema|json_object|structured output|grammar|\bschema\b/i.test(`${providerMessage(error.responseBody)} ${error.responseBody ?? ''}`);
}

export function structuredModeOf(modelId: string): StructuredMode {
  return remembered.get(modelId) ?? (process.env.COMPATIBLE_STRUCTURED_OUTPUTS === '0' ? 'json_object' : 'json_schema');
}

/** Forgets what each model took (tests start each case fresh). */
export function forgetStructuredModes(): void {
  remembered.clear();
}

/** The call as `mode` asks: the schema in response_format, or in a system message before the rest. */
function asked(params: LanguageModelV4CallOptions, mode: StructuredMode): LanguageModelV4CallOptions {
  const format = params.responseFormat;
  if (mode === 'json_schema' || format?.type !== 'json' || !format.schema) return params;
  const instruction = `Answer with one JSON object only: no prose, no code fence.\n${SCHEMA_HEADING}\n\`\`\`json\n${JSON.stringify(format.schema)}\n\`\`\``;
  return {
    ...params,
    responseFormat: mode === 'json_object' ? { type: 'json' } : undefined,
    prompt: [{ role: 'system', content: instruction }, ...params.prompt],
  };
}

/** Drops a ```json fence a model wraps its JSON in when nothing enforces the format. */
export function withoutFence(text: string): string {
  return text.replace(/^\s*```[a-zA-Z]*\s*\n?/, '').replace(/\n?\s*```\s*$/, '');
}

/** The same fence dropped from streamed text: the opening held until known, a closing run held until more text comes. */
function unfenced(stream: ReadableStream<LanguageModelV4StreamPart>): ReadableStream<LanguageModelV4StreamPart> {
  let head = '';
  let started = false;
  let held = '';
  let lastId = '';
  return stream.pipeThrough(
    new TransformStream<LanguageModelV4StreamPart, LanguageModelV4StreamPart>({
      transform(part, controller) {
        if (part.type !== 'text-delta') {
          if (part.type === 'text-end' && !started && head) controller.enqueue({ type: 'text-delta', id: part.id, delta: withoutFence(head) });
          controller.enqueue(part);
          return;
        }
        lastId = part.id;
        let text = part.delta;
        if (!started) {
          head += text;
          // Undecided until the first line is whole (or clearly not a fence).
          if (/^\s*`{0,3}[a-zA-Z]*$/.test(head) && !head.includes('\n')) return;
          text = head.replace(/^\s*```[a-zA-Z]*\s*\n?/, '');
          started = true;
        }
        text = held + text;
        const tail = /`*\s*$/.exec(text)?.[0] ?? '';
        held = tail;
        const out = text.slice(0, text.length - tail.length);
        if (out) controller.enqueue({ ...part, delta: out });
      },
      flush(controller) {
        // A closing fence (or trailing whitespace) is dropped; any other held text is the answer's.
        if (held && !/^\s*```\s*$/.test(held) && held.trim()) controller.enqueue({ type: 'text-delta', id: lastId, delta: held });
      },
    }),
  );
}

/**
 * For OpenAI-compatible servers: ask for structured output the way this model takes it, step down
 * on a refusal, and remember. A call without a schema passes untouched.
 */
export function structuredOutputFallback(modelId: string): LanguageModelV4Middleware {
  async function attempt<T>(params: LanguageModelV4CallOptions, call: (p: LanguageModelV4CallOptions) => PromiseLike<T>, shape: (result: T, mode: StructuredMode) => T): Promise<T> {
    const wantsSchema = params.responseFormat?.type === 'json' && params.responseFormat.schema !== undefined;
    if (!wantsSchema) return call(params);
    for (let mode: StructuredMode | null = structuredModeOf(modelId); mode; mode = NEXT[mode]) {
      try {
        const result = await call(asked(params, mode));
        if (mode !== structuredModeOf(modelId)) console.warn(`model ${modelId} does not take response_format as asked; using ${mode} from now on`);
        remembered.set(modelId, mode);
        return shape(result, mode);
      } catch (error) {
        if (!refusesFormat(error) || NEXT[mode] === null) throw error;
      }
    }
    throw new Error('unreachable: the last mode rethrows');
  }

  return {
    specificationVersion: 'v4',
    wrapGenerate: ({ params, model }) =>
      attempt(
        params,
        (p) => model.doGenerate(p),
        (result, mode) => (mode === 'json_schema' ? result : { ...result, content: result.content.map((c) => (c.type === 'text' ? { ...c, text: withoutFence(c.text) } : c)) }),
      ),
    wrapStream: ({ params, model }) =>
      attempt(
        params,
        (p) => model.doStream(p),
        (result, mode) => (mode === 'json_schema' ? result : { ...result, stream: unfenced(result.stream) }),
      ),
  };
}
