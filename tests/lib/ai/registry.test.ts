/**
 * The model list comes from the environment (and a running Ollama). The registry caches Ollama's
 * answer for 30 s in module state, so every test imports a fresh copy of it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QWEN_MAX_PIXELS } from '@/lib/ai/catalog';

type Registry = typeof import('@/lib/ai/registry');

const ENV = [
  'OPENAI_API_KEY',
  'OPENAI_COMPATIBLE_BASE_URL',
  'OPENAI_COMPATIBLE_MODELS',
  'COMPATIBLE_PRICE',
  'COMPATIBLE_MAX_PIXELS',
  'COMPATIBLE_CONTEXT_TOKENS',
  'DEFAULT_MODEL',
  'FALLBACK_MODELS',
];

/** Nothing listens on the discard port, so the Ollama probe fails at once. */
const NO_OLLAMA = 'http://127.0.0.1:9';

async function freshRegistry(env: Record<string, string> = {}): Promise<Registry> {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  vi.resetModules();
  return import('@/lib/ai/registry');
}

beforeEach(() => {
  for (const name of ENV) vi.stubEnv(name, undefined);
  vi.stubEnv('OLLAMA_BASE_URL', NO_OLLAMA);
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
});

const ids = async (registry: Registry) => (await registry.availableModels()).map((m) => m.id);

describe('availableModels from the environment', () => {
  it('is empty when nothing is configured', async () => {
    const registry = await freshRegistry();
    expect(await registry.availableModels()).toEqual([]);
    expect(await registry.defaultModel()).toBeUndefined();
    expect(await registry.findModel('openai:gpt-4o-mini')).toBeUndefined();
  });

  it('lists the OpenAI catalogue with OPENAI_API_KEY, and picks gpt-4o-mini by default even though it is not first', async () => {
    const registry = await freshRegistry({ OPENAI_API_KEY: 'sk-test' });
    const models = await registry.availableModels();
    expect(models.map((m) => m.id)).toEqual(expect.arrayContaining(['openai:gpt-4o', 'openai:gpt-4o-mini', 'openai:gpt-4.1', 'openai:gpt-5']));
    expect(models.every((m) => m.provider === 'openai' && m.vision && m.id === `openai:${m.name}`)).toBe(true);
    expect(models.every((m) => m.price !== null)).toBe(true);
    // Tile-priced models take a detail level; patch-priced ones get a 32 px patch budget instead.
    const sizing = Object.fromEntries(models.map((m) => [m.name, m.imageSizing.kind]));
    expect(sizing).toMatchObject({ 'gpt-4o': 'openai-detail', 'gpt-4o-mini': 'openai-detail', 'gpt-4.1-mini': 'max-pixels', 'gpt-5-mini': 'max-pixels' });
    expect(models[0].id).not.toBe('openai:gpt-4o-mini');
    expect((await registry.defaultModel())?.id).toBe('openai:gpt-4o-mini');
    expect(await registry.findModel('openai:gpt-4o')).toMatchObject({ name: 'gpt-4o', label: 'GPT-4o', price: { input: 2.5, output: 10 } });
  });

  it('lists OPENAI_COMPATIBLE_MODELS (trimmed, empty entries dropped) with a Qwen pixel budget and no price', async () => {
    const registry = await freshRegistry({ OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_COMPATIBLE_MODELS: ' qwen-vl-max , ,qwen2.5-vl-7b,' });
    const models = await registry.availableModels();
    expect(models.map((m) => m.id)).toEqual(['compatible:qwen-vl-max', 'compatible:qwen2.5-vl-7b']);
    expect(models[0]).toMatchObject({
      provider: 'compatible',
      name: 'qwen-vl-max',
      label: 'qwen-vl-max',
      vision: true,
      price: null,
      contextTokens: 32_768,
      imageSizing: { kind: 'max-pixels', maxPixels: QWEN_MAX_PIXELS, patch: 28 },
    });
    // Without OpenAI, the first model is the default.
    expect((await registry.defaultModel())?.id).toBe('compatible:qwen-vl-max');
  });

  it('needs the base URL: a model list alone configures nothing', async () => {
    const registry = await freshRegistry({ OPENAI_COMPATIBLE_MODELS: 'qwen-vl-max' });
    expect(await registry.availableModels()).toEqual([]);
  });

  it('honours COMPATIBLE_MAX_PIXELS and COMPATIBLE_CONTEXT_TOKENS', async () => {
    const registry = await freshRegistry({
      OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:9/v1',
      OPENAI_COMPATIBLE_MODELS: 'm',
      COMPATIBLE_MAX_PIXELS: String(512 * 28 * 28),
      COMPATIBLE_CONTEXT_TOKENS: '8192',
    });
    expect(await registry.findModel('compatible:m')).toMatchObject({ contextTokens: 8192, imageSizing: { maxPixels: 512 * 28 * 28 } });
  });

  it.each([
    ['0.2/0.6', { input: 0.2, output: 0.6 }],
    [' 0.8 / 2 ', { input: 0.8, output: 2 }],
    ['1.25/10', { input: 1.25, output: 10 }],
    ['0/0', { input: 0, output: 0 }],
    ['0.2', null],
    ['0.2/0.6/1', null],
    ['abc', null],
    ['$0.2/$0.6', null],
    ['', null],
  ])('parses COMPATIBLE_PRICE=%j as %j', async (raw, price) => {
    const registry = await freshRegistry({ OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_COMPATIBLE_MODELS: 'a,b', COMPATIBLE_PRICE: raw });
    const models = await registry.availableModels();
    expect(models.map((m) => m.price)).toEqual([price, price]);
  });

  it('orders OpenAI before compatible models', async () => {
    const registry = await freshRegistry({ OPENAI_API_KEY: 'sk-test', OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_COMPATIBLE_MODELS: 'a' });
    const list = await ids(registry);
    expect(list.at(-1)).toBe('compatible:a');
    expect(list.slice(0, -1).every((id) => id.startsWith('openai:'))).toBe(true);
  });
});

describe('defaultModel', () => {
  const both = { OPENAI_API_KEY: 'sk-test', OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_COMPATIBLE_MODELS: 'a,b' };

  it('honours DEFAULT_MODEL when that model is available', async () => {
    const registry = await freshRegistry({ ...both, DEFAULT_MODEL: 'compatible:b' });
    expect((await registry.defaultModel())?.id).toBe('compatible:b');
  });

  it('ignores a DEFAULT_MODEL that is not available', async () => {
    const registry = await freshRegistry({ ...both, DEFAULT_MODEL: 'compatible:gone' });
    expect((await registry.defaultModel())?.id).toBe('openai:gpt-4o-mini');
  });
});

describe('modelChain', () => {
  const compatible = { OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_COMPATIBLE_MODELS: 'a,b,c' };

  it('is just the chosen model without FALLBACK_MODELS', async () => {
    const registry = await freshRegistry(compatible);
    const chosen = (await registry.findModel('compatible:b'))!;
    expect((await registry.modelChain(chosen)).map((m) => m.id)).toEqual(['compatible:b']);
  });

  it('puts the chosen model first, then FALLBACK_MODELS in their order, skipping unknown ids and the chosen one', async () => {
    const registry = await freshRegistry({ ...compatible, FALLBACK_MODELS: ' compatible:c, openai:gpt-4o , compatible:b,ollama:nope ,compatible:a' });
    const chosen = (await registry.findModel('compatible:b'))!;
    // openai:gpt-4o is a real id, but OpenAI is not configured here.
    expect((await registry.modelChain(chosen)).map((m) => m.id)).toEqual(['compatible:b', 'compatible:c', 'compatible:a']);
  });

  it('returns the chosen spec itself, even one that is not in the list', async () => {
    const registry = await freshRegistry({ ...compatible, FALLBACK_MODELS: 'compatible:a' });
    const custom = { ...(await registry.findModel('compatible:b'))!, id: 'compatible:custom' };
    const chain = await registry.modelChain(custom);
    expect(chain[0]).toBe(custom);
    expect(chain.map((m) => m.id)).toEqual(['compatible:custom', 'compatible:a']);
  });

  it('lists each fallback once even when FALLBACK_MODELS repeats it', async () => {
    const registry = await freshRegistry({ ...compatible, FALLBACK_MODELS: 'compatible:a,compatible:c,compatible:a' });
    const chosen = (await registry.findModel('compatible:b'))!;
    expect((await registry.modelChain(chosen)).map((m) => m.id)).toEqual(['compatible:b', 'compatible:a', 'compatible:c']);
  });
});

describe('Ollama auto-detection', () => {
  interface FakeOllama {
    url: string;
    requests: { method: string; path: string; body: unknown }[];
    tags: string[];
    vision: Set<string>;
    /** Delay before /api/tags answers, to exercise the probe timeout. */
    delayMs: number;
    stop(): Promise<void>;
  }

  async function startFakeOllama(tags: string[], vision: string[]): Promise<FakeOllama> {
    const state = { requests: [] as FakeOllama['requests'], tags, vision: new Set(vision), delayMs: 0 };
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const body = raw ? (JSON.parse(raw) as { model?: string }) : null;
        state.requests.push({ method: req.method ?? '', path: req.url ?? '', body });
        const json = (status: number, payload: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
        if (req.method === 'GET' && req.url === '/api/tags') {
          if (state.delayMs) await new Promise((resolve) => setTimeout(resolve, state.delayMs));
          if (!res.destroyed) json(200, { models: state.tags.map((name) => ({ name, model: name, size: 1 })) });
          return;
        }
        if (req.method === 'POST' && req.url === '/api/show' && body?.model && state.tags.includes(body.model)) {
          const capabilities = state.vision.has(body.model) ? ['completion', 'vision'] : ['completion', 'tools'];
          return json(200, { modelfile: '', details: { family: 'x' }, capabilities });
        }
        json(404, { error: `model '${body?.model}' not found` });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return Object.assign(state, {
      url,
      stop: () =>
        new Promise<void>((resolve, reject) => {
          server.close((error) => (error ? reject(error) : resolve()));
          server.closeAllConnections();
        }),
    });
  }

  let ollama: FakeOllama;
  beforeEach(async () => {
    ollama = await startFakeOllama(['llava:7b', 'llama3.2:3b'], ['llava:7b']);
  });
  afterEach(() => ollama.stop());

  it('lists only the vision-capable models, as ollama:<name>', async () => {
    // A trailing slash in the setting must not double up in the probe URLs.
    const registry = await freshRegistry({ OLLAMA_BASE_URL: `${ollama.url}/` });
    const models = await registry.availableModels();
    expect(models.map((m) => m.id)).toEqual(['ollama:llava:7b']);
    expect(models[0]).toMatchObject({
      provider: 'ollama',
      name: 'llava:7b',
      label: 'llava:7b (Ollama)',
      price: null,
      imageSizing: { kind: 'max-pixels', maxPixels: QWEN_MAX_PIXELS },
    });
    const shown = ollama.requests.filter((r) => r.path === '/api/show').map((r) => r.body);
    expect(shown).toEqual(expect.arrayContaining([{ model: 'llava:7b' }, { model: 'llama3.2:3b' }]));
    expect(ollama.requests.filter((r) => r.path === '/api/tags')).toHaveLength(1);
  });

  it('comes after OpenAI and compatible models and can be the default or a fallback', async () => {
    const registry = await freshRegistry({
      OLLAMA_BASE_URL: ollama.url,
      OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:9/v1',
      OPENAI_COMPATIBLE_MODELS: 'a',
      DEFAULT_MODEL: 'ollama:llava:7b',
      FALLBACK_MODELS: 'ollama:llava:7b,ollama:llama3.2:3b',
    });
    expect(await ids(registry)).toEqual(['compatible:a', 'ollama:llava:7b']);
    expect((await registry.defaultModel())?.id).toBe('ollama:llava:7b');
    const chain = await registry.modelChain((await registry.findModel('compatible:a'))!);
    expect(chain.map((m) => m.id)).toEqual(['compatible:a', 'ollama:llava:7b']);
  });

  it('remembers the answer for 30 seconds, then asks again', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const registry = await freshRegistry({ OLLAMA_BASE_URL: ollama.url });
    expect(await ids(registry)).toEqual(['ollama:llava:7b']);

    ollama.tags.push('qwen2.5vl:7b');
    ollama.vision.add('qwen2.5vl:7b');
    vi.setSystemTime(new Date('2030-01-01T00:00:29Z'));
    expect(await ids(registry)).toEqual(['ollama:llava:7b']);
    expect(ollama.requests.filter((r) => r.path === '/api/tags')).toHaveLength(1);

    vi.setSystemTime(new Date('2030-01-01T00:00:31Z'));
    expect((await ids(registry)).sort()).toEqual(['ollama:llava:7b', 'ollama:qwen2.5vl:7b']);
    expect(ollama.requests.filter((r) => r.path === '/api/tags')).toHaveLength(2);
  });

  it('gives up on an Ollama that does not answer within the probe timeout', async () => {
    ollama.delayMs = 3_000;
    const registry = await freshRegistry({ OLLAMA_BASE_URL: ollama.url, OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_COMPATIBLE_MODELS: 'a' });
    const started = Date.now();
    expect(await ids(registry)).toEqual(['compatible:a']);
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it('lists nothing from Ollama when it is not running', async () => {
    const registry = await freshRegistry({ OLLAMA_BASE_URL: NO_OLLAMA });
    expect(await registry.availableModels()).toEqual([]);
  });
});
