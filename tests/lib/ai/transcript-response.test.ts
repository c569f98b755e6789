import { describe, expect, it } from 'vitest';
import { languageCode, readTranscriptionAnswer } from '@/lib/ai/transcript-response';

const json = (value: unknown) => JSON.stringify(value);

describe('readTranscriptionAnswer', () => {
  it('reads segments carrying only id, start, end and text (the SDK schema refused these)', () => {
    const body = json({ text: 'Hello there. General Kenobi.', segments: [{ id: 0, start: 0, end: 1.5, text: ' Hello there.' }, { id: 1, start: 1.5, end: 3.25, text: ' General Kenobi.' }] });
    expect(readTranscriptionAnswer(body, 4000)).toEqual({
      language: null,
      durationMs: null,
      segments: [
        { startMs: 0, endMs: 1500, text: 'Hello there.' },
        { startMs: 1500, endMs: 3250, text: 'General Kenobi.' },
      ],
    });
  });

  it('ignores extra fields and reads times sent as strings', () => {
    const body = json({ task: 'transcribe', language: 'english', duration: '3.3', segments: [{ id: 0, seek: 0, start: '0.00', end: '1.20', text: 'One', tokens: [1, 2], words: null, extra: { a: 1 } }] });
    expect(readTranscriptionAnswer(body, 3300)).toEqual({ language: 'en', durationMs: 3300, segments: [{ startMs: 0, endMs: 1200, text: 'One' }] });
  });

  it('tells nanoseconds (Go durations) and milliseconds from seconds by the audio’s length', () => {
    const ns = json({ segments: [{ id: 0, start: 500_000_000, end: 2_750_000_000, text: 'nano' }] });
    expect(readTranscriptionAnswer(ns, 3000).segments).toEqual([{ startMs: 500, endMs: 2750, text: 'nano' }]);
    // A 30-minute chunk in milliseconds is far past 30 minutes in seconds.
    const ms = json({ segments: [{ start: 1_000_000, end: 1_790_000, text: 'milli' }] });
    expect(readTranscriptionAnswer(ms, 1_800_000).segments).toEqual([{ startMs: 1_000_000, endMs: 1_790_000, text: 'milli' }]);
    // The same numbers in seconds are plausible for a 10-hour recording: seconds stay the norm.
    const long = json({ segments: [{ start: 100, end: 170, text: 'seconds' }] });
    expect(readTranscriptionAnswer(long, 180_000).segments).toEqual([{ startMs: 100_000, endMs: 170_000, text: 'seconds' }]);
  });

  it('reads whisper.cpp’s offsets, clock timestamps and centisecond t0/t1', () => {
    const offsets = json({ transcription: [{ timestamps: { from: '00:00:00,000', to: '00:00:02,500' }, offsets: { from: 0, to: 2500 }, text: ' Offsets' }] });
    expect(readTranscriptionAnswer(offsets, 3000).segments).toEqual([{ startMs: 0, endMs: 2500, text: 'Offsets' }]);
    const centis = json({ segments: [{ t0: 120, t1: 340, text: 'Centis' }] });
    expect(readTranscriptionAnswer(centis, 4000).segments).toEqual([{ startMs: 1200, endMs: 3400, text: 'Centis' }]);
  });

  it('groups word timings into sentences when a server sends words without segments', () => {
    const body = json({ text: 'Hi all. Bye now', words: [{ word: 'Hi', start: 0, end: 0.3 }, { word: 'all.', start: 0.3, end: 0.6 }, { word: 'Bye', start: 1, end: 1.2 }, { word: 'now', start: 1.2, end: 1.5 }] });
    expect(readTranscriptionAnswer(body, 2000).segments).toEqual([
      { startMs: 0, endMs: 600, text: 'Hi all.' },
      { startMs: 1000, endMs: 1500, text: 'Bye now' },
    ]);
  });

  it('makes text without times one segment over the audio sent, as JSON or as plain text', () => {
    expect(readTranscriptionAnswer(json({ text: ' Just text ' }), 2500).segments).toEqual([{ startMs: 0, endMs: 2500, text: 'Just text' }]);
    expect(readTranscriptionAnswer('Plain\ntext answer\n', 2500).segments).toEqual([{ startMs: 0, endMs: 2500, text: 'Plain text answer' }]);
    // "[Music]" is words, not a JSON array.
    expect(readTranscriptionAnswer('[Music] and singing', 1000).segments).toEqual([{ startMs: 0, endMs: 1000, text: '[Music] and singing' }]);
  });

  it('reads SRT and WebVTT answers cue by cue', () => {
    const srt = '1\r\n00:00:00,000 --> 00:00:01,500\r\nFirst line\r\nwraps\r\n\r\n2\r\n00:00:01,500 --> 00:00:03,000\r\nSecond\r\n';
    expect(readTranscriptionAnswer(srt, 3000).segments).toEqual([
      { startMs: 0, endMs: 1500, text: 'First line wraps' },
      { startMs: 1500, endMs: 3000, text: 'Second' },
    ]);
    const vtt = 'WEBVTT\n\n00:00.000 --> 00:01.250 align:start\n<v Speaker>Hello</v>\n\n00:01.250 --> 00:02.000\nWorld\n';
    expect(readTranscriptionAnswer(vtt, 2000).segments).toEqual([
      { startMs: 0, endMs: 1250, text: 'Hello' },
      { startMs: 1250, endMs: 2000, text: 'World' },
    ]);
  });

  it('drops whisper.cpp’s [BLANK_AUDIO] and empty segments', () => {
    const body = json({ segments: [{ start: 0, end: 1, text: ' [BLANK_AUDIO]' }, { start: 1, end: 2, text: '  ' }, { start: 2, end: 3, text: 'Words' }] });
    expect(readTranscriptionAnswer(body, 3000).segments).toEqual([{ startMs: 2000, endMs: 3000, text: 'Words' }]);
  });

  it('refuses an HTML page answered with 200 (a proxy or a wrong URL)', () => {
    expect(() => readTranscriptionAnswer('<!DOCTYPE html><html><body>Login</body></html>', 1000)).toThrow(/HTML page/);
  });
});

describe('languageCode', () => {
  it.each([
    ['en', 'en'],
    ['EN', 'en'],
    ['english', 'en'],
    ['English', 'en'],
    ['en-US', 'en'],
    ['pt_BR', 'pt'],
    ['haitian creole', 'ht'],
    ['Mandarin', 'zh'],
    ['yue', 'yue'],
  ])('%s → %s', (raw, code) => expect(languageCode(raw)).toBe(code));

  it.each([[undefined], [null], [''], ['unknown'], ['klingon'], [42]])('%s → null', (raw) => expect(languageCode(raw)).toBeNull());
});
