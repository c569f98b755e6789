import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { estimateImageTokens } from '@/lib/ai/image-tokens';
import { composeFrameGrid } from '@/lib/media/video/grid';

const colours = ['#d32f2f', '#388e3c', '#1976d2', '#fbc02d'];

async function frame(colour: string, width = 512, height = 288) {
  const jpeg = await sharp({ create: { width, height, channels: 3, background: colour } }).jpeg().toBuffer();
  return { jpeg, width, height };
}

async function pixelAt(image: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const offset = (y * info.width + x) * info.channels;
  return [...data.subarray(offset, offset + 3)];
}

function hex(colour: string): number[] {
  return [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
}

function near(actual: number[], expected: number[], tolerance = 12) {
  actual.forEach((value, i) => expect(Math.abs(value - expected[i])).toBeLessThanOrEqual(tolerance));
}

describe('composeFrameGrid', () => {
  it('puts four 512 px frames in a 2 × 2 JPEG of exactly 1024 × 576, in reading order', async () => {
    const grid = await composeFrameGrid(await Promise.all(colours.map((c) => frame(c))));
    expect(grid).toMatchObject({ width: 1024, height: 576, mediaType: 'image/jpeg' });
    expect(await sharp(grid.data).metadata()).toMatchObject({ format: 'jpeg', width: 1024, height: 576 });
    const centres = [
      [256, 144],
      [768, 144],
      [256, 432],
      [768, 432],
    ];
    for (const [i, [x, y]] of centres.entries()) near(await pixelAt(grid.data, x, y), hex(colours[i]));
  });

  it('costs gpt-4o four tiles for four frames, where one by one they would cost four base prices more', async () => {
    const grid = await composeFrameGrid(await Promise.all(colours.map((c) => frame(c))));
    const gpt4o = { kind: 'openai-tiles', base: 85, perTile: 170 } as const;
    const high = { kind: 'openai-tiles', detail: 'high' } as const;
    expect(estimateImageTokens(grid.width, grid.height, gpt4o, high)).toBe(85 + 4 * 170);
    expect(4 * estimateImageTokens(512, 288, gpt4o, high)).toBe(4 * (85 + 170));
  });

  it('labels each tile with its own number', async () => {
    const grid = await composeFrameGrid(await Promise.all([frame(colours[0]), frame(colours[0])]));
    const labelOf = (left: number) =>
      sharp(grid.data).extract({ left, top: 0, width: 60, height: 60 }).greyscale().raw().toBuffer();
    const [first, second] = await Promise.all([labelOf(0), labelOf(512)]);
    // White digits on a dark box, over a red picture.
    expect(Math.max(...first)).toBeGreaterThan(200);
    expect(Math.min(...first)).toBeLessThan(40);
    // "1" and "2" cover different pixels.
    const differing = first.filter((value, i) => Math.abs(value - second[i]) > 100).length;
    expect(differing).toBeGreaterThan(50);
  });

  it('fits fewer frames in fewer cells, and any column count', async () => {
    const three = await composeFrameGrid(await Promise.all(colours.slice(0, 3).map((c) => frame(c))));
    expect(three).toMatchObject({ width: 1024, height: 576 });
    near(await pixelAt(three.data, 768, 432), [0, 0, 0]);
    expect(await composeFrameGrid([await frame(colours[0])])).toMatchObject({ width: 512, height: 288 });
    const row = await composeFrameGrid(await Promise.all(colours.map((c) => frame(c))), { columns: 4 });
    expect(row).toMatchObject({ width: 2048, height: 288 });
  });

  it('shrinks frames to the tile size but never enlarges them', async () => {
    const frames = await Promise.all(colours.map((c) => frame(c, 1280, 720)));
    expect(await composeFrameGrid(frames, { tileLongSide: 256 })).toMatchObject({ width: 512, height: 288 });
    const small = await Promise.all(colours.map((c) => frame(c, 160, 90)));
    expect(await composeFrameGrid(small)).toMatchObject({ width: 320, height: 180 });
  });

  it('keeps portrait frames upright', async () => {
    const grid = await composeFrameGrid(await Promise.all(colours.map((c) => frame(c, 288, 512))));
    expect(grid).toMatchObject({ width: 576, height: 1024 });
  });

  it('refuses an empty grid and more than four frames', async () => {
    await expect(composeFrameGrid([])).rejects.toThrow(/1 to 4 frames/);
    const five = await Promise.all([...colours, colours[0]].map((c) => frame(c)));
    await expect(composeFrameGrid(five)).rejects.toThrow(/1 to 4 frames/);
  });
});
