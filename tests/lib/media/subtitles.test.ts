import { describe, expect, it } from 'vitest';
import { toSrt, toTxt, toVtt } from '@/lib/media/subtitles';

const segments = [
  { startMs: 0, endMs: 2_450, text: 'The quick brown fox.' },
  { startMs: 3_162, endMs: 5_376, text: '  Two lines,\n\n  with a blank one between.  ' },
  { startMs: 6_000, endMs: 6_500, text: '   ' },
  { startMs: 3_725_004, endMs: 3_727_999, text: 'Tom & Jerry <b>said</b> --> go' },
];

const srtTime = String.raw`(\d{2,}):([0-5]\d):([0-5]\d),(\d{3})`;
const vttTime = String.raw`(\d{2,}):([0-5]\d):([0-5]\d)\.(\d{3})`;
const ms = (h: string, m: string, s: string, f: string) => ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000 + Number(f);

/** Cues split on blank lines; each must match the format's grammar, and times must never go back. */
function parse(body: string, time: string) {
  const cue = new RegExp(String.raw`^${time} --> ${time}\n((?:[^\n]+\n?)+)$`);
  let previousStart = -1;
  return body
    .trimEnd()
    .split('\n\n')
    .map((block) => {
      const match = cue.exec(block);
      expect(match, block).not.toBeNull();
      const startMs = ms(match![1], match![2], match![3], match![4]);
      const endMs = ms(match![5], match![6], match![7], match![8]);
      expect(endMs).toBeGreaterThanOrEqual(startMs);
      expect(startMs).toBeGreaterThanOrEqual(previousStart);
      previousStart = startMs;
      return { startMs, endMs, text: match![9].trimEnd() };
    });
}

describe('toSrt', () => {
  it('numbers cues from 1, times them with commas, and keeps blank lines only between cues', () => {
    const srt = toSrt(segments);
    expect(srt.endsWith('\n')).toBe(true);
    const blocks = srt.trimEnd().split('\n\n');
    expect(blocks.map((block) => block.split('\n')[0])).toEqual(['1', '2', '3']);
    const cues = parse(blocks.map((block) => block.slice(block.indexOf('\n') + 1)).join('\n\n'), srtTime);
    expect(cues).toEqual([
      { startMs: 0, endMs: 2_450, text: 'The quick brown fox.' },
      { startMs: 3_162, endMs: 5_376, text: 'Two lines,\nwith a blank one between.' },
      { startMs: 3_725_004, endMs: 3_727_999, text: 'Tom & Jerry <b>said</b> --> go' },
    ]);
    expect(srt).toContain('01:02:05,004 --> 01:02:07,999');
  });
});

describe('toVtt', () => {
  it('starts with the header, times cues with dots, and escapes markup and arrows in the text', () => {
    const vtt = toVtt(segments);
    expect(vtt.startsWith('WEBVTT\n\n')).toBe(true);
    const cues = parse(vtt.slice('WEBVTT\n\n'.length), vttTime);
    expect(cues.map(({ startMs, endMs }) => [startMs, endMs])).toEqual([
      [0, 2_450],
      [3_162, 5_376],
      [3_725_004, 3_727_999],
    ]);
    expect(cues[2].text).toBe('Tom &amp; Jerry &lt;b&gt;said&lt;/b&gt; --&gt; go');
    for (const { text } of cues) expect(text).not.toContain('-->');
  });

  it('is only the header when nothing was said', () => {
    expect(toVtt([{ startMs: 0, endMs: 1000, text: '' }])).toBe('WEBVTT\n');
    expect(toSrt([])).toBe('');
  });
});

describe('toTxt', () => {
  it('puts each segment on one line', () => {
    expect(toTxt(segments)).toBe('The quick brown fox.\nTwo lines, with a blank one between.\nTom & Jerry <b>said</b> --> go\n');
  });
});
