import { describe, expect, it } from 'vitest';
import { citedStart, lineAt, SEEK_SLACK_MS } from '@/components/transcript/lines';

const lines = [{ startMs: 1320 }, { startMs: 4000 }, { startMs: 4500 }, { startMs: 9000 }];

describe('lineAt', () => {
  it('finds the last line begun, across pauses, and none before the first', () => {
    expect(lineAt(lines, 0)).toBe(-1);
    expect(lineAt(lines, 1319)).toBe(-1);
    expect(lineAt(lines, 1320)).toBe(0);
    expect(lineAt(lines, 3999)).toBe(0);
    expect(lineAt(lines, 4000)).toBe(1);
    expect(lineAt(lines, 4499)).toBe(1);
    expect(lineAt(lines, 8000)).toBe(2);
    expect(lineAt(lines, 600_000)).toBe(3);
    expect(lineAt([], 1000)).toBe(-1);
  });

  it('counts a seek that lands a hair before a line as that line', () => {
    expect(lineAt(lines, 3999.99 + SEEK_SLACK_MS)).toBe(1);
  });

  it('agrees with a linear scan on a long transcript', () => {
    const many = Array.from({ length: 5000 }, (_, i) => ({ startMs: i * 1000 + (i % 7) * 10 }));
    for (const ms of [0, 5, 999, 1000, 1070, 2_500_123, 4_999_000, 5_000_000]) {
      let expected = -1;
      many.forEach((line, i) => line.startMs <= ms && (expected = i));
      expect(lineAt(many, ms)).toBe(expected);
    }
  });
});

describe('citedStart', () => {
  it('plays a cited second from the line that starts in it', () => {
    expect(citedStart(lines, 1)).toBe(1.32);
    // Two lines start at 4 s: the first of them.
    expect(citedStart(lines, 4)).toBe(4);
    expect(citedStart(lines, 9)).toBe(9);
  });

  it('plays any other second as it is', () => {
    expect(citedStart(lines, 0)).toBe(0);
    expect(citedStart(lines, 2)).toBe(2);
    expect(citedStart(lines, 120)).toBe(120);
    expect(citedStart([], 3)).toBe(3);
  });
});
