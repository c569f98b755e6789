import { describe, expect, it } from 'vitest';
import { planDecoding, rangeExpression, suspectedCuts } from '@/lib/media/video/decode-plan';
import type { Packet, PacketScan } from '@/lib/media/video/packets';

/** Anchor frames every 100 ms with these sizes; a keyframe every `gop` frames of 50 000 bytes. */
function packets(sizes: number[], gop = 100): Packet[] {
  let pos = 0;
  return sizes.map((size, i) => {
    const key = i % gop === 0;
    const packet = { timeMs: i * 100, size: key ? 50_000 : size, pos, key, anchor: true };
    pos += packet.size;
    return packet;
  });
}

const steady = (count: number, around: number) => Array.from({ length: count }, (_, i) => around + ((i * 37) % 11) * (around / 100));

describe('suspectedCuts', () => {
  const cutsIn = (sizes: number[]) => {
    const all = packets(sizes);
    return suspectedCuts(all.filter((p) => !p.key), all.filter((p) => p.key)).map((ms) => ms / 100);
  };

  it('finds the P-frame that costs far more than its neighbours: the new picture coded from scratch', () => {
    const sizes = steady(60, 2000);
    sizes[30] = 9000;
    expect(cutsIn(sizes)).toEqual([30]);
  });

  it('finds where the cost per frame steps down out of noise, and up into it', () => {
    const sizes = [...steady(30, 2000), ...steady(30, 80_000), ...steady(30, 300)];
    expect(cutsIn(sizes)).toEqual([30, 60]);
  });

  it('finds nothing inside noise, however large every frame is', () => {
    expect(cutsIn(steady(90, 80_000))).toEqual([]);
  });
});

describe('planDecoding', () => {
  const scan = (sizes: number[], gop = 100): PacketScan => ({ packets: packets(sizes, gop), startMs: 0, positioned: true });

  it('decodes only the GOPs with a suspected cut, past it, plus the keyframes and the floor', () => {
    const sizes = steady(300, 2000);
    sizes[150] = 12_000;
    const plan = planDecoding(scan(sizes), 30_000, { floorMs: 15_000, parts: 1 });
    expect(plan.cutsMs).toEqual([15_000]);
    // The GOP from 10 s is decoded from its keyframe to just after the cut; the others only at their keyframes.
    expect(plan.spans).toEqual([{ fromMs: 14_000, toMs: 15_600 }]);
    expect(plan.floorMs).toEqual([0, 10_000, 20_000]);
    expect(plan.parts[0].keep).toContain('between(pos,');
  });

  it('decodes whole a GOP whose P-frames cost what its keyframe does, unless its two keyframes show the same picture', () => {
    const sizes = steady(300, 45_000);
    const plan = planDecoding(scan(sizes), 30_000, { floorMs: 15_000, parts: 1 });
    expect(plan.spans).toEqual([{ fromMs: 0, toMs: 30_000 }]);
    expect(plan.keyframesToCompare.map((k) => k.timeMs)).toEqual([0, 10_000, 20_000]);
    // The last GOP has no keyframe after it to compare with: it is always searched.
    const same = planDecoding(scan(sizes), 30_000, { floorMs: 15_000, parts: 1, unchanged: () => true });
    expect(same.spans).toEqual([{ fromMs: 20_000, toMs: 30_000 }]);
  });

  it('puts floor points between keyframes further apart than the floor, on decoded frames', () => {
    const plan = planDecoding(scan(steady(600, 2000), 600), 60_000, { floorMs: 15_000, parts: 1 });
    expect(plan.floorMs.length).toBeGreaterThanOrEqual(5);
    for (let i = 1; i < plan.floorMs.length; i++) expect(plan.floorMs[i] - plan.floorMs[i - 1]).toBeLessThanOrEqual(15_000);
    for (const point of plan.floorMs) expect(point % 100).toBe(0);
  });
});

describe('rangeExpression', () => {
  it('is a balanced tree of comparisons', () => {
    expect(rangeExpression('t', [{ fromMs: 1, toMs: 2 }, { fromMs: 5, toMs: 6 }])).toBe('if(lt(t,5),between(t,1,2),between(t,5,6))');
  });

  it('stays short enough to be a process argument however many ranges there are, joining the closest', () => {
    const ranges = Array.from({ length: 10_000 }, (_, i) => ({ fromMs: i * 1000 + (i % 7), toMs: i * 1000 + 10 }));
    const expression = rangeExpression('pos', ranges);
    expect(expression.length).toBeLessThan(128 * 1024);
    expect(expression).toContain('between(pos,0,');
    expect(expression).toContain(',9999010)');
  });
});
