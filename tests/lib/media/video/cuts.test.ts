import { describe, expect, it } from 'vitest';
import { judgeCuts } from '@/lib/media/video/cuts';

const side = 32 * 32 * 3;
/** A thumbnail of one grey level, jittered by up to `jitter` levels (averaged noise). */
function thumb(level: number, jitter: number, seed: number): Buffer {
  return Buffer.from(Array.from({ length: side }, (_, i) => Math.max(0, Math.min(255, level + (((i * 7919 + seed * 104729) % (2 * jitter + 1)) - jitter)))));
}

async function judged(thumbs: Buffer[], spans = [{ fromMs: 0, toMs: thumbs.length * 100 }]) {
  const frames = (async function* () {
    for (const [i, t] of thumbs.entries()) yield { timeMs: i * 100, thumb: t };
  })();
  const result = [];
  for await (const frame of judgeCuts(frames, spans, { cutDifference: 12, cutContrast: 3 })) result.push(frame);
  return result;
}

describe('judgeCuts', () => {
  it('marks the frame where the picture changes, and only it', async () => {
    const thumbs = [...Array.from({ length: 10 }, (_, i) => thumb(60, 1, i)), ...Array.from({ length: 10 }, (_, i) => thumb(160, 1, i))];
    const frames = await judged(thumbs);
    expect(frames.filter((f) => f.cut).map((f) => f.timeMs)).toEqual([1000]);
    expect(frames[0].opensRun).toBe(true);
  });

  it('does not count fast change as cuts, and still finds the cut out of it', async () => {
    // Every frame differs by about 20 levels from the one before: a fast scene. Then a still.
    const fast = Array.from({ length: 12 }, (_, i) => thumb(i % 2 === 0 ? 90 : 110, 2, i));
    const frames = await judged([...fast, ...Array.from({ length: 8 }, (_, i) => thumb(220, 1, i))]);
    expect(frames.filter((f) => f.cut).map((f) => f.timeMs)).toEqual([1200]);
  });

  it('compares no frames across a break in decoding', async () => {
    const thumbs = [thumb(60, 1, 0), thumb(60, 1, 1), thumb(200, 1, 2), thumb(200, 1, 3)];
    const frames = await judged(thumbs, [{ fromMs: 0, toMs: 100 }, { fromMs: 200, toMs: 300 }]);
    expect(frames.map((f) => [f.cut, f.opensRun])).toEqual([[false, true], [false, false], [false, true], [false, false]]);
  });
});
