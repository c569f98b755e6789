import sharp from 'sharp';
import { estimateImageTokens, originalImageTokens, type ImageTokenEstimator } from '@/lib/ai/image-tokens';
import { formatBytes } from '@/lib/errors';
import { prepareForModel } from '@/lib/media/image';
import type { ImageBudget } from '@/lib/media/types';

const photoWidth = 4000;
const photoHeight = 3000;
const warmupRuns = 5;
const measuredRuns = 40;
const targetMedianMs = 80;

const gpt4o: ImageTokenEstimator = { kind: 'openai-tiles', base: 85, perTile: 170 };
const qwen: ImageTokenEstimator = { kind: 'qwen-patches' };

interface Case {
  label: string;
  budget: ImageBudget;
  estimator: ImageTokenEstimator;
  orientation: number;
}

const cases: Case[] = [
  { label: 'gpt-4o, detail high', budget: { kind: 'openai-tiles', detail: 'high' }, estimator: gpt4o, orientation: 1 },
  { label: 'gpt-4o, detail high, portrait (EXIF 6)', budget: { kind: 'openai-tiles', detail: 'high' }, estimator: gpt4o, orientation: 6 },
  { label: 'gpt-4o, detail low', budget: { kind: 'openai-tiles', detail: 'low' }, estimator: gpt4o, orientation: 1 },
  {
    label: 'Qwen2.5-VL, 1280 × 28² max pixels',
    budget: { kind: 'max-pixels', maxPixels: 1280 * 28 * 28, minPixels: 4 * 28 * 28, patch: 28 },
    estimator: qwen,
    orientation: 1,
  },
];

/** Smooth shapes plus per-pixel noise: compresses like a camera photo (a few MB at quality 92), unlike a flat fill. */
async function syntheticPhoto(orientation: number): Promise<Buffer> {
  const pixels = Buffer.alloc(photoWidth * photoHeight * 3);
  let seed = 1;
  for (let y = 0; y < photoHeight; y++) {
    for (let x = 0; x < photoWidth; x++) {
      const shade = 110 + 60 * Math.sin(x / 310) * Math.cos(y / 170) + 40 * Math.sin((x + y) / 53);
      for (let channel = 0; channel < 3; channel++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        const noise = ((seed >>> 24) / 255 - 0.5) * 32;
        pixels[(y * photoWidth + x) * 3 + channel] = shade + (channel - 1) * 25 + noise;
      }
    }
  }
  return sharp(pixels, { raw: { width: photoWidth, height: photoHeight, channels: 3 } })
    .jpeg({ quality: 92 })
    .withMetadata({ orientation })
    .toBuffer();
}

function percentile(sortedMs: number[], fraction: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.ceil(fraction * sortedMs.length) - 1)];
}

async function timeRuns<T>(run: () => Promise<T>) {
  for (let i = 0; i < warmupRuns; i++) await run();
  const times: number[] = [];
  let result = await run();
  for (let i = 0; i < measuredRuns; i++) {
    const start = performance.now();
    result = await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { result, medianMs: percentile(times, 0.5), p95Ms: percentile(times, 0.95) };
}

/**
 * The part no pipeline setting can remove. A 10× reduction makes libvips decode at 1/8 scale, where
 * libjpeg skips almost all of the inverse DCT, leaving the Huffman decoding of every byte of the file.
 */
function decodeFloor(photo: Buffer) {
  return sharp(photo).resize(photoWidth / 10).raw().toBuffer();
}

/**
 * prepareForModel's pipeline aimed at a fixed size, to show which targets reach a cheaper decode.
 * sharp 0.35 (src/pipeline.cc) picks JPEG shrink-on-load N ∈ {2, 4, 8} only when the shrink is at
 * least N + 1: it steps down whenever trunc(shrink) === N. From 4000 px wide, 1000 × 750 (exactly 4×)
 * therefore still decodes at 1/2 scale, and 800 × 600 (5×) is the largest target decoded at 1/4.
 */
function pipelineTo(photo: Buffer, width: number, height: number) {
  return sharp(photo, { failOn: 'error' })
    .autoOrient()
    .resize(width, height, { fit: 'inside' })
    .jpeg({ quality: 85, mozjpeg: false })
    .toBuffer({ resolveWithObject: true });
}

const decodeScaleReferences = [
  { width: 1000, height: 750, note: 'exactly 4× smaller, still a 1/2-scale decode' },
  { width: 800, height: 600, note: '5× smaller, the largest target sharp decodes at 1/4 scale' },
];

/** prepareForModel on a 12 MP camera JPEG, single-threaded, with the token cost it saves. */
export async function benchImagePreprocess(): Promise<{ title: string; markdown: string }> {
  const previousConcurrency = sharp.concurrency();
  const previousCache = sharp.cache();
  // One thread matches a busy server; no operation cache, since real uploads never repeat.
  sharp.concurrency(1);
  sharp.cache(false);
  try {
    const photos = new Map<number, Buffer>();
    const rows: string[] = [];
    let highMedianMs = Infinity;
    for (const { label, budget, estimator, orientation } of cases) {
      if (!photos.has(orientation)) photos.set(orientation, await syntheticPhoto(orientation));
      const photo = photos.get(orientation)!;
      const { result: prepared, medianMs, p95Ms } = await timeRuns(() => prepareForModel(photo, budget));
      if (budget.kind === 'openai-tiles' && budget.detail === 'high' && orientation === 1) highMedianMs = medianMs;
      const shown = orientation === 6 ? [photoHeight, photoWidth] : [photoWidth, photoHeight];
      const tokens = estimateImageTokens(shown[0], shown[1], estimator, budget);
      const originalTokens = originalImageTokens(shown[0], shown[1], estimator);
      rows.push(
        `| ${label} | ${medianMs.toFixed(1)} | ${p95Ms.toFixed(1)} | ${prepared.width} × ${prepared.height} | ` +
          `${formatBytes(prepared.data.length)} | ${tokens} | ${originalTokens} |`,
      );
    }
    const input = photos.get(1)!;
    const floor = await timeRuns(() => decodeFloor(input));
    const references: string[] = [];
    for (const { width, height, note } of decodeScaleReferences) {
      const { result, medianMs, p95Ms } = await timeRuns(() => pipelineTo(input, width, height));
      const tokens = estimateImageTokens(result.info.width, result.info.height, gpt4o, cases[0].budget);
      references.push(
        `| Reference: same pipeline to ${width} × ${height} (${note}) | ${medianMs.toFixed(1)} | ${p95Ms.toFixed(1)} | ` +
          `${result.info.width} × ${result.info.height} | ${formatBytes(result.data.length)} | ${tokens} | |`,
      );
    }
    const verdict = highMedianMs <= targetMedianMs ? 'met' : 'NOT met';
    const markdown = [
      `Input: synthetic ${photoWidth} × ${photoHeight} JPEG (quality 92, EXIF orientation tag), ${formatBytes(input.length)}. ` +
        `\`sharp.concurrency(1)\`, libvips cache off, ${warmupRuns} warm-up runs then ${measuredRuns} measured runs per row.`,
      '',
      '| Budget | Median ms | p95 ms | Output | Output size | Est. tokens | Tokens if sent original (high) |',
      '| --- | ---: | ---: | --- | ---: | ---: | ---: |',
      ...rows,
      `| Reference: Huffman decode only (1/8-scale decode, no resize or encode) | ${floor.medianMs.toFixed(1)} | ${floor.p95Ms.toFixed(1)} | | | | |`,
      ...references,
      '',
      `Target: median ≤ ${targetMedianMs} ms for detail high (landscape) — **${verdict}** (${highMedianMs.toFixed(1)} ms).`,
      '',
      'Nearly all of the time is JPEG decoding: for a 1024 × 768 target libvips decodes at 1/2 scale (shrink-on-load), ' +
        'and the Huffman-only reference row is the decoding floor; resizing and re-encoding add a few ms.',
      '',
      'Snapping the target a few per cent smaller does not reach the 1/4-scale decode: sharp 0.35 uses ' +
        'shrink-on-load N only when the reduction is at least N + 1 (it has no input option to force a scale), ' +
        'so from 4000 × 3000 nothing larger than 800 × 600 decodes at 1/4 — 22% less resolution per side than ' +
        '1024 × 768. The reference rows show both; their token estimates are for gpt-4o at high detail.',
      '',
      'For gpt-4o at high detail the token count is the same either way (OpenAI shrinks the original identically); ' +
        'the gain there is upload size. Qwen’s processor, left to its defaults, would keep almost the full 12 MP.',
    ].join('\n');
    return { title: 'Image preprocessing (prepareForModel)', markdown };
  } finally {
    sharp.concurrency(previousConcurrency);
    sharp.cache({
      memory: previousCache.memory.max,
      files: previousCache.files.max,
      items: previousCache.items.max,
    });
  }
}
