import type { ImageTokenEstimator } from '@/lib/ai/image-tokens';

/**
 * A model as data. Everything the UI and the server need to choose, price and feed a model lives
 * here; the provider client is built from it on demand (lib/ai/providers.ts).
 */
export interface ModelSpec {
  /** `openai:<name>`, `compatible:<name>` or `ollama:<name>`. */
  id: string;
  provider: 'openai' | 'compatible' | 'ollama';
  /** The provider's own model name. */
  name: string;
  label: string;
  vision: boolean;
  audio: boolean;
  contextTokens: number;
  /** USD per million tokens; null when the provider does not tell us (local servers). */
  price: { input: number; output: number } | null;
  imageTokens: ImageTokenEstimator;
  /** How images are resized for this model; OpenAI honours a detail level, the others a pixel budget. */
  imageSizing: { kind: 'openai-detail' } | { kind: 'max-pixels'; maxPixels: number; minPixels: number; patch: number };
}

/** Qwen2.5-VL's default budget: 1280 visual tokens of 28 × 28 pixels. */
export const QWEN_MAX_PIXELS = 1280 * 28 * 28;
const QWEN_MIN_PIXELS = 4 * 28 * 28;

type OpenAIEntry = Pick<ModelSpec, 'label' | 'contextTokens' | 'price' | 'imageTokens'>;

// Prices and image-token rules from OpenAI's pricing and vision guides (checked 2026-11).
const openaiCatalog: Record<string, OpenAIEntry> = {
  'gpt-4o': { label: 'GPT-4o', contextTokens: 128_000, price: { input: 2.5, output: 10 }, imageTokens: { kind: 'openai-tiles', base: 85, perTile: 170 } },
  'gpt-4o-mini': { label: 'GPT-4o mini', contextTokens: 128_000, price: { input: 0.15, output: 0.6 }, imageTokens: { kind: 'openai-tiles', base: 2833, perTile: 5667 } },
  'gpt-4.1': { label: 'GPT-4.1', contextTokens: 1_047_576, price: { input: 2, output: 8 }, imageTokens: { kind: 'openai-tiles', base: 85, perTile: 170 } },
  'gpt-4.1-mini': { label: 'GPT-4.1 mini', contextTokens: 1_047_576, price: { input: 0.4, output: 1.6 }, imageTokens: { kind: 'openai-patches', multiplier: 1.62, maxPatches: 1536 } },
  'gpt-5': { label: 'GPT-5', contextTokens: 400_000, price: { input: 1.25, output: 10 }, imageTokens: { kind: 'openai-tiles', base: 70, perTile: 140 } },
  'gpt-5-mini': { label: 'GPT-5 mini', contextTokens: 400_000, price: { input: 0.25, output: 2 }, imageTokens: { kind: 'openai-patches', multiplier: 1.62, maxPatches: 1536 } },
};

const OPENAI_PATCH = 32;

/**
 * Tile-priced models honour a detail level. Patch-priced ones (gpt-4.1-mini, gpt-5-mini) see up to
 * `maxPatches` 32 px patches whatever the detail: give them exactly that many, no more (it would be
 * shrunk away) and no less (it would waste what they can read).
 */
function openaiSizing(tokens: ImageTokenEstimator): ModelSpec['imageSizing'] {
  if (tokens.kind !== 'openai-patches') return { kind: 'openai-detail' };
  return { kind: 'max-pixels', maxPixels: tokens.maxPatches * OPENAI_PATCH * OPENAI_PATCH, minPixels: OPENAI_PATCH * OPENAI_PATCH, patch: OPENAI_PATCH };
}

export function openaiModels(): ModelSpec[] {
  return Object.entries(openaiCatalog).map(([name, entry]) => ({
    id: `openai:${name}`,
    provider: 'openai',
    name,
    vision: true,
    audio: false,
    imageSizing: openaiSizing(entry.imageTokens),
    ...entry,
  }));
}

/** A model on a Qwen-style server: we know its name, not its price; images get a pixel budget. */
export function pixelBudgetModel(provider: 'compatible' | 'ollama', name: string, maxPixels: number, contextTokens: number): ModelSpec {
  return {
    id: `${provider}:${name}`,
    provider,
    name,
    label: provider === 'ollama' ? `${name} (Ollama)` : name,
    vision: true,
    audio: false,
    contextTokens,
    price: null,
    imageTokens: { kind: 'qwen-patches' },
    imageSizing: { kind: 'max-pixels', maxPixels, minPixels: QWEN_MIN_PIXELS, patch: 28 },
  };
}
