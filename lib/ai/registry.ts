import { openaiModels, pixelBudgetModel, QWEN_MAX_PIXELS, type ModelSpec } from '@/lib/ai/catalog';

const OLLAMA_PROBE_MS = 800;
const OLLAMA_CACHE_MS = 30_000;

function envList(name: string): string[] {
  return (process.env[name] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function compatibleModels(): ModelSpec[] {
  if (!process.env.OPENAI_COMPATIBLE_BASE_URL) return [];
  const maxPixels = Number(process.env.COMPATIBLE_MAX_PIXELS) || QWEN_MAX_PIXELS;
  const context = Number(process.env.COMPATIBLE_CONTEXT_TOKENS) || 32_768;
  const price = parsePrice(process.env.COMPATIBLE_PRICE);
  return envList('OPENAI_COMPATIBLE_MODELS').map((name) => ({ ...pixelBudgetModel('compatible', name, maxPixels, context), price }));
}

/** `COMPATIBLE_PRICE=0.2/0.6`: USD per million input/output tokens, when the server bills (DashScope). */
function parsePrice(raw: string | undefined): ModelSpec['price'] {
  const match = /^\s*([\d.]+)\s*\/\s*([\d.]+)\s*$/.exec(raw ?? '');
  return match ? { input: Number(match[1]), output: Number(match[2]) } : null;
}

export function ollamaBaseUrl(): string {
  return (process.env.OLLAMA_BASE_URL || 'http://127.0.0.1:11434').replace(/\/+$/, '');
}

let ollamaCache: { at: number; models: ModelSpec[] } | null = null;

/** Ollama is picked up when it runs: its vision-capable models join the list. */
async function ollamaModels(): Promise<ModelSpec[]> {
  if (ollamaCache && Date.now() - ollamaCache.at < OLLAMA_CACHE_MS) return ollamaCache.models;
  let models: ModelSpec[] = [];
  try {
    const base = ollamaBaseUrl();
    const tags = (await fetchJson(`${base}/api/tags`)) as { models?: { name: string }[] };
    const names = (tags.models ?? []).map((m) => m.name);
    const shown = await Promise.all(
      names.map(async (name) => {
        const info = (await fetchJson(`${base}/api/show`, { model: name })) as { capabilities?: string[] };
        return info.capabilities?.includes('vision') ? name : null;
      }),
    );
    models = shown.filter((n): n is string => n !== null).map((name) => pixelBudgetModel('ollama', name, QWEN_MAX_PIXELS, 32_768));
  } catch {
    // Not running (the usual case): no Ollama models.
  }
  ollamaCache = { at: Date.now(), models };
  return models;
}

async function fetchJson(url: string, body?: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method: body ? 'POST' : 'GET',
    headers: body ? { 'content-type': 'application/json' } : undefined,
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(OLLAMA_PROBE_MS),
  });
  if (!res.ok) throw new Error(`${url} → ${res.status}`);
  return res.json();
}

/** Every model this server can use right now, in picker order. */
export async function availableModels(): Promise<ModelSpec[]> {
  const openai = process.env.OPENAI_API_KEY ? openaiModels() : [];
  return [...openai, ...compatibleModels(), ...(await ollamaModels())];
}

export async function findModel(id: string): Promise<ModelSpec | undefined> {
  return (await availableModels()).find((m) => m.id === id);
}

export async function defaultModel(): Promise<ModelSpec | undefined> {
  const models = await availableModels();
  const wanted = process.env.DEFAULT_MODEL;
  return models.find((m) => m.id === wanted) ?? models.find((m) => m.id === 'openai:gpt-4o-mini') ?? models[0];
}

/** The chosen model first, then FALLBACK_MODELS that are available, without repeats. */
export async function modelChain(chosen: ModelSpec): Promise<ModelSpec[]> {
  const models = await availableModels();
  const chain = [chosen];
  for (const id of envList('FALLBACK_MODELS')) {
    const model = models.find((m) => m.id === id);
    if (model && !chain.includes(model) && model.id !== chosen.id) chain.push(model);
  }
  return chain;
}
