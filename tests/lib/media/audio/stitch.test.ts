import { describe, expect, it } from 'vitest';
import { stitchTranscripts } from '@/lib/media/audio/stitch';

describe('stitchTranscripts', () => {
  it('shifts each chunk’s segments by where the chunk starts, in order, without empty ones', () => {
    expect(
      stitchTranscripts([
        { startMs: 60_000, segments: [{ startMs: 500, endMs: 2_000, text: ' third ' }] },
        {
          startMs: 0,
          segments: [
            { startMs: 1_000, endMs: 3_000, text: 'first' },
            { startMs: 3_000, endMs: 4_000, text: '  ' },
            { startMs: 30_000, endMs: 31_000, text: 'second' },
          ],
        },
      ]),
    ).toEqual([
      { startMs: 1_000, endMs: 3_000, text: 'first' },
      { startMs: 30_000, endMs: 31_000, text: 'second' },
      { startMs: 60_500, endMs: 62_000, text: 'third' },
    ]);
  });
});
