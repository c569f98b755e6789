import { describe, expect, it } from 'vitest';
import { comparisonAsText, parseComparison, partialComparison, type Comparison } from '@/lib/chat/comparison-schema';

const two: Comparison = {
  similarities: ['Both are photos of a lake'],
  differences: [
    { aspect: 'Time of day', values: ['dusk', 'noon'] },
    { aspect: 'Boats', values: ['none', 'two'] },
  ],
  recommendation: { choice: 2, reason: 'It is sharper.' },
};

describe('parseComparison', () => {
  it('accepts a comparison that fits its images, with or without a recommendation', () => {
    expect(parseComparison(two, 2)).toEqual({ ok: true, comparison: two });
    expect(parseComparison({ ...two, recommendation: null }, 2).ok).toBe(true);
    expect(parseComparison({ ...two, recommendation: { choice: null, reason: 'Neither is in focus.' } }, 2).ok).toBe(true);
    expect(parseComparison({ similarities: [], differences: [], recommendation: null }, 2).ok).toBe(true);
  });

  it('refuses JSON of the wrong shape, saying where', () => {
    expect(parseComparison(null, 2)).toMatchObject({ ok: false });
    expect(parseComparison({ ...two, similarities: 'lakes' }, 2)).toEqual({ ok: false, problem: expect.stringContaining('similarities') });
    expect(parseComparison({ ...two, differences: [{ aspect: 'Boats' }] }, 2)).toEqual({ ok: false, problem: expect.stringContaining('differences.0.values') });
    // Every field is required (nullable, not optional): what strict structured outputs need.
    const { recommendation: _dropped, ...withoutRecommendation } = two;
    expect(parseComparison(withoutRecommendation, 2).ok).toBe(false);
    expect(parseComparison({ ...two, recommendation: { choice: 1.5, reason: 'halfway' } }, 2).ok).toBe(false);
  });

  it('refuses well-formed JSON that does not fit the images: one value per image, a choice among them', () => {
    expect(parseComparison(two, 3)).toEqual({ ok: false, problem: 'differences.0.values has 2 entries for 3 images' });
    const short = { ...two, differences: [two.differences[0], { aspect: 'Boats', values: ['none'] }] };
    expect(parseComparison(short, 2)).toEqual({ ok: false, problem: 'differences.1.values has 1 entries for 2 images' });
    expect(parseComparison({ ...two, recommendation: { choice: 3, reason: 'x' } }, 2)).toEqual({ ok: false, problem: 'recommendation.choice is 3, not an image between 1 and 2' });
    expect(parseComparison({ ...two, recommendation: { choice: 0, reason: 'x' } }, 2).ok).toBe(false);
  });
});

describe('partialComparison', () => {
  it('keeps what has arrived and is well-typed, drops the rest', () => {
    expect(partialComparison(undefined)).toEqual({ similarities: [], differences: [], recommendation: null });
    expect(partialComparison({ similarities: ['Both lakes', 'Bo'], differences: [{ aspect: 'Time', values: ['dusk'] }, { asp: 'x' }] })).toEqual({
      similarities: ['Both lakes', 'Bo'],
      differences: [{ aspect: 'Time', values: ['dusk'] }],
      recommendation: null,
    });
    expect(partialComparison({ similarities: [1, 'a', null], differences: 'many', recommendation: { choice: '2', reason: 'because' } })).toEqual({
      similarities: ['a'],
      differences: [],
      recommendation: { choice: null, reason: 'because' },
    });
    // A recommendation whose reason has not started yet is not shown.
    expect(partialComparison({ recommendation: { choice: 2 } }).recommendation).toBeNull();
  });
});

describe('comparisonAsText', () => {
  it('reads as the model would need it for a follow-up question', () => {
    expect(comparisonAsText(two)).toBe(
      [
        'Comparison of the images (numbered in the order given):',
        '- Same in all: Both are photos of a lake',
        '- Time of day: image 1: dusk; image 2: noon',
        '- Boats: image 1: none; image 2: two',
        'Recommendation: image 2. It is sharper.',
      ].join('\n'),
    );
    expect(comparisonAsText({ ...two, recommendation: { choice: null, reason: 'Neither.' } })).toContain('Recommendation: none. Neither.');
    expect(comparisonAsText({ ...two, recommendation: null })).not.toContain('Recommendation');
  });
});
