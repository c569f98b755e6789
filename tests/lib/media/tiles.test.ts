import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { QWEN_MAX_PIXELS } from '@/lib/ai/catalog';
import { modelImageSize } from '@/lib/media/resize';
import { MAX_TILES, planTiles, TILE_OVERLAP, type TilePlan } from '@/lib/media/tile-plan';
import { cutTiles } from '@/lib/media/tiles';
import type { ImageBudget } from '@/lib/media/types';

/** A Qwen-style server's default budget (the stub's in the e2e tests), and gpt-4o's high and low detail. */
const qwen: ImageBudget = { kind: 'max-pixels', maxPixels: QWEN_MAX_PIXELS, minPixels: 4 * 28 * 28, patch: 28 };
const high: ImageBudget = { kind: 'openai-tiles', detail: 'high' };
const low: ImageBudget = { kind: 'openai-tiles', detail: 'low' };

function plan(width: number, height: number, budget: ImageBudget): TilePlan {
  const tiles = planTiles({ width, height }, budget);
  if (!tiles) throw new Error(`${width} × ${height} was not tiled`);
  return tiles;
}

/** Counts, pixel by pixel, how many tiles hold each pixel: none may be 0. */
function uncovered(p: TilePlan): number {
  const hits = new Uint8Array(p.width * p.height);
  for (const t of p.tiles) {
    expect(t.left).toBeGreaterThanOrEqual(0);
    expect(t.top).toBeGreaterThanOrEqual(0);
    expect(t.left + t.width).toBeLessThanOrEqual(p.width);
    expect(t.top + t.height).toBeLessThanOrEqual(p.height);
    for (let y = t.top; y < t.top + t.height; y++) hits.fill(1, y * p.width + t.left, y * p.width + t.left + t.width);
  }
  return hits.reduce((missing, hit) => missing + (hit ? 0 : 1), 0);
}

/** The overlap of each tile with its right and lower neighbour, as a share of the tile's side. */
function overlaps(p: TilePlan): number[] {
  const at = (row: number, column: number) => p.tiles.find((t) => t.row === row && t.column === column);
  return p.tiles.flatMap((t) => {
    const right = at(t.row, t.column + 1);
    const below = at(t.row + 1, t.column);
    return [
      ...(right ? [(t.left + t.width - right.left) / t.width] : []),
      ...(below ? [(t.top + t.height - below.top) / t.height] : []),
    ];
  });
}

/** The share of a tile's side the model reads after its own resize. */
const readShare = (t: { width: number; height: number }, budget: ImageBudget) => {
  const sent = modelImageSize(t.width, t.height, budget);
  return Math.min(sent.width / t.width, sent.height / t.height);
};

describe('planTiles', () => {
  it('a 1080 × 9000 screenshot: one column of overlapping tiles, each read at full resolution', () => {
    // Whole, the stub's budget shrinks it to 336 × 2884: 3.1 times on the long side.
    expect(modelImageSize(1080, 9000, qwen)).toEqual({ width: 336, height: 2884 });
    const p = plan(1080, 9000, qwen);
    expect(p).toMatchObject({ width: 1080, height: 9000, columns: 1, rows: 11, capped: false });
    expect(p.tiles).toHaveLength(11);
    expect(p.tiles[0]).toEqual({ row: 1, column: 1, left: 0, top: 0, width: 1080, height: 919 });
    expect(p.tiles.at(-1)).toEqual({ row: 11, column: 1, left: 0, top: 9000 - 919, width: 1080, height: 919 });
    expect(uncovered(p)).toBe(0);
    for (const t of p.tiles) expect(readShare(t, qwen)).toBeGreaterThanOrEqual(0.95);

    // gpt-4o at high detail reads at most 768 px on the short side: more, shorter tiles.
    const gpt = plan(1080, 9000, high);
    expect(gpt).toMatchObject({ columns: 1, rows: 13, capped: false });
    expect(uncovered(gpt)).toBe(0);
    for (const t of gpt.tiles) expect(readShare(t, high)).toBeGreaterThanOrEqual(0.95);
  });

  it('an 8000 × 1000 panorama: one row of near-square tiles', () => {
    const p = plan(8000, 1000, qwen);
    expect(p).toMatchObject({ columns: 9, rows: 1, capped: false });
    expect(p.tiles.every((t) => t.height === 1000 && t.width === 996)).toBe(true);
    expect(uncovered(p)).toBe(0);
    const gpt = plan(8000, 1000, high);
    expect(gpt).toMatchObject({ columns: 12, rows: 1, capped: false });
    expect(uncovered(gpt)).toBe(0);
  });

  it('neighbours overlap by about TILE_OVERLAP of a tile (10–15 %), in both directions', () => {
    for (const p of [plan(1080, 9000, qwen), plan(8000, 1000, qwen), plan(4000, 3000, qwen), plan(2300, 2200, high)]) {
      const shares = overlaps(p);
      expect(shares.length).toBe((p.columns - 1) * p.rows + (p.rows - 1) * p.columns);
      for (const share of shares) {
        expect(share).toBeGreaterThanOrEqual(0.1);
        expect(share).toBeLessThanOrEqual(0.15);
      }
    }
    expect(TILE_OVERLAP).toBeGreaterThanOrEqual(0.1);
    // A 12 MP photo is cut both ways, so the rows overlap as well as the columns.
    expect(plan(4000, 3000, qwen)).toMatchObject({ columns: 5, rows: 3 });
  });

  it('leaves alone images the model already reads well enough', () => {
    // A normal photo loses 1.4× on the long side for the stub, none at gpt-4o high detail.
    expect(planTiles({ width: 1600, height: 1200 }, qwen)).toBeNull();
    expect(planTiles({ width: 1600, height: 1200 }, high)).toBeNull();
    // A phone screenshot fits as it is; a narrow strip is sent whole, even though it is long.
    expect(planTiles({ width: 1080, height: 2400 }, qwen)).toBeNull();
    expect(planTiles({ width: 300, height: 1200 }, high)).toBeNull();
    // A strip shrunk 1.6× is tiled (small print goes first); a photo shrunk as much is not.
    expect(planTiles({ width: 1080, height: 3600 }, qwen)).not.toBeNull();
    expect(modelImageSize(1800, 1500, qwen).width / 1800).toBeLessThan(1 / 1.5);
    expect(planTiles({ width: 1800, height: 1500 }, qwen)).toBeNull();
  });

  it(`is capped at ${MAX_TILES} tiles, read smaller, and says so`, () => {
    const p = plan(6000, 8000, qwen);
    expect(p.tiles).toHaveLength(MAX_TILES);
    expect(p.capped).toBe(true);
    expect(p.scale).toBeLessThan(0.95);
    expect(p.scale).toBeCloseTo(Math.min(...p.tiles.map((t) => readShare(t, qwen))), 10);
    // Still sharper than the whole image sent at once, and still every pixel.
    expect(p.scale).toBeGreaterThan(modelImageSize(6000, 8000, qwen).width / 6000);
    expect(uncovered(p)).toBe(0);
    // Low detail reads 512 px at most: a screenshot would need about 60 tiles.
    const lowDetail = plan(1080, 9000, low);
    expect(lowDetail.tiles.length).toBeLessThanOrEqual(MAX_TILES);
    expect(lowDetail.capped).toBe(true);
    expect(uncovered(lowDetail)).toBe(0);
  });

  it('is deterministic', () => {
    expect(plan(1080, 9000, qwen)).toEqual(plan(1080, 9000, qwen));
  });
});

/** Every pixel says where it is: red = x, green = y (mod 256), blue = x and y in 256 px blocks. */
function positional(width: number, height: number) {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      pixels[i] = x % 256;
      pixels[i + 1] = y % 256;
      pixels[i + 2] = ((x >> 8) * 16 + (y >> 8)) % 256;
    }
  }
  return { pixels, png: () => sharp(pixels, { raw: { width, height, channels: 3 } }).png().toBuffer() };
}

describe('cutTiles', () => {
  it('cuts exactly the planned pixels, losslessly, and the same bytes every time', async () => {
    const width = 1200;
    const height = 4200;
    const image = positional(width, height);
    const bytes = await image.png();
    const p = plan(width, height, qwen);
    const tiles = await cutTiles(bytes, p);
    expect(tiles).toHaveLength(p.tiles.length);
    for (const [i, tile] of p.tiles.entries()) {
      const { data, info } = await sharp(tiles[i]).raw().toBuffer({ resolveWithObject: true });
      expect({ width: info.width, height: info.height }).toEqual({ width: tile.width, height: tile.height });
      for (const [x, y] of [[0, 0], [tile.width - 1, tile.height - 1], [Math.floor(tile.width / 2), Math.floor(tile.height / 3)]]) {
        const at = (y * info.width + x) * info.channels;
        const source = ((tile.top + y) * width + tile.left + x) * 3;
        expect([...data.subarray(at, at + 3)]).toEqual([...image.pixels.subarray(source, source + 3)]);
      }
    }
    const again = await cutTiles(bytes, p);
    expect(again.every((tile, i) => tile.equals(tiles[i]))).toBe(true);
  });

  it('cuts the upright image of an EXIF-rotated photo', async () => {
    // Stored 2000 wide × 600 tall, orientation 6: seen upright it is 600 × 2000, red at the top, blue at the bottom.
    const stored = await sharp({ create: { width: 2000, height: 600, channels: 3, background: '#0000ff' } })
      .composite([{ input: { create: { width: 1000, height: 600, channels: 3, background: '#ff0000' } }, left: 0, top: 0 }])
      .jpeg({ quality: 95 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const upright = { width: 600, height: 2000 };
    const p = planTiles(upright, { kind: 'openai-tiles', detail: 'low' })!;
    expect(p.rows).toBeGreaterThan(1);
    const tiles = await cutTiles(stored, p);
    const mean = async (png: Buffer) => (await sharp(png).stats()).channels.map((c) => Math.round(c.mean));
    const [r0, , b0] = await mean(tiles[0]);
    const [r1, , b1] = await mean(tiles.at(-1)!);
    expect(r0).toBeGreaterThan(240);
    expect(b0).toBeLessThan(15);
    expect(b1).toBeGreaterThan(240);
    expect(r1).toBeLessThan(15);
  });

  it('refuses a plan made for another size', async () => {
    const bytes = await positional(300, 200).png();
    await expect(cutTiles(bytes, plan(1080, 9000, qwen))).rejects.toThrow('tile plan is for 1080 × 9000, the image is 300 × 200');
  });
});
