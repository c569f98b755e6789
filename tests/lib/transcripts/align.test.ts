import { describe, expect, it } from 'vitest';
import { speechPerScene } from '@/lib/transcripts/align';

const scenes = [
  { startMs: 0, endMs: 4000 },
  { startMs: 4000, endMs: 9000 },
  { startMs: 9000, endMs: 12000 },
];

describe('speech per scene', () => {
  it('puts each segment in the scene where it starts, in time order', () => {
    const speech = speechPerScene(scenes, [
      { startMs: 5000, endMs: 6000, text: 'second' },
      { startMs: 500, endMs: 4500, text: 'runs past the cut' },
      { startMs: 4000, endMs: 4800, text: 'exactly at the cut' },
      { startMs: 11_500, endMs: 13_000, text: 'last' },
    ]);
    expect(speech).toEqual(['runs past the cut', 'exactly at the cut second', 'last']);
  });

  it('leaves silent scenes empty and skips blank segments', () => {
    expect(speechPerScene(scenes, [{ startMs: 9500, endMs: 9900, text: '  ' }, { startMs: 100, endMs: 200, text: ' hi ' }])).toEqual(['hi', '', '']);
    expect(speechPerScene([], [{ startMs: 0, endMs: 1, text: 'nobody to hear' }])).toEqual([]);
  });
});
