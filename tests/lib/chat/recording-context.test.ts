import { describe, expect, it } from 'vitest';
import { recordingContext, relevantSegments } from '@/lib/chat/recording-context';

const talk = Array.from({ length: 600 }, (_, i) => ({ startMs: i * 6000, endMs: i * 6000 + 5000, text: `Line ${i} about ordinary things.` }));
talk[420] = { ...talk[420], text: 'The budget for the lighthouse was approved.' };

describe('recording context', () => {
  it('sends a short transcript whole, each line with its times', () => {
    const text = recordingContext({ filename: 'memo.mp3', durationMs: 12_000 }, { language: 'english', segments: talk.slice(0, 2) }, 'What is said?');
    expect(text).toBe(
      ['Recording "memo.mp3", 00:12 long, spoken language: english.', 'Transcript ([start–end] what was said):', '[00:00–00:05] Line 0 about ordinary things.', '[00:06–00:11] Line 1 about ordinary things.'].join('\n'),
    );
  });

  it('says plainly when nothing was said or nothing is transcribed yet', () => {
    expect(recordingContext({ filename: 'quiet.wav', durationMs: 3000 }, { language: null, segments: [] }, 'x')).toContain('No speech was heard in it');
    expect(recordingContext({ filename: 'new.wav', durationMs: 3000 }, null, 'x')).toContain('It has not been transcribed.');
  });

  it('keeps a long transcript within the budget: lines the question names by words and by time, and lines spread over the whole', () => {
    const chosen = relevantSegments(talk, 'When was the lighthouse budget approved? And what is at 10:00?', 6000);
    const chars = chosen.reduce((sum, s) => sum + s.text.length + 16, 0);
    expect(chars).toBeLessThanOrEqual(6000);
    expect(chosen).toContain(talk[420]);
    expect(chosen).toContain(talk[100]); // 10:00 is line 100
    expect(chosen[0].startMs).toBeLessThan(60_000);
    expect(chosen.at(-1)!.startMs).toBeGreaterThan(3_000_000);
    expect(chosen.map((s) => s.startMs)).toEqual([...chosen.map((s) => s.startMs)].sort((a, b) => a - b));
    const hours = Array.from({ length: 3000 }, (_, i) => ({ startMs: i * 4000, endMs: i * 4000 + 3000, text: `Sentence number ${i} of a long talk.` }));
    const context = recordingContext({ filename: 'long.mp3', durationMs: 12_000_000 }, { language: 'en', segments: hours }, 'lighthouse');
    expect(context).toMatch(/excerpts: \d+ of 3000 lines/);
    expect(context.length).toBeLessThan(61_000);
  });
});
