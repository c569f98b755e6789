import { defaultUrlTransform } from 'react-markdown';
import { describe, expect, it } from 'vitest';
import { formatClock, formatClockRange, linkTimestamps, parseTimestamp, sceneAt } from '@/components/video/timestamps';

describe('formatClock', () => {
  it('shows m:ss under an hour and h:mm:ss from an hour on', () => {
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(12_900)).toBe('0:12');
    expect(formatClock(65_000)).toBe('1:05');
    expect(formatClock(3_723_000)).toBe('1:02:03');
    expect(formatClockRange(12_000, 31_000)).toBe('0:12–0:31');
  });
});

describe('parseTimestamp', () => {
  it('reads m:ss, mm:ss and h:mm:ss as seconds', () => {
    expect(parseTimestamp('0:12')).toBe(12);
    expect(parseTimestamp('01:05')).toBe(65);
    expect(parseTimestamp('125:00')).toBe(7500);
    expect(parseTimestamp('1:02:03')).toBe(3723);
    expect(parseTimestamp('01:02:03')).toBe(3723);
  });

  it('refuses what is not a time', () => {
    for (const text of ['', '12', '0:75', '1:60:00', '1:2:03', '12:30 pm', 'a:bc']) expect(parseTimestamp(text)).toBeNull();
  });
});

describe('sceneAt', () => {
  const scenes = [{ startMs: 1000 }, { startMs: 5000 }, { startMs: 9000 }];
  it('finds the last scene begun, across gaps, and none before the first', () => {
    expect(sceneAt(scenes, 0)).toBe(-1);
    expect(sceneAt(scenes, 1000)).toBe(0);
    expect(sceneAt(scenes, 8999)).toBe(1);
    expect(sceneAt(scenes, 60_000)).toBe(2);
  });
});

describe('linkTimestamps', () => {
  it('links citations to their start in seconds', () => {
    expect(linkTimestamps('At [00:12] he waves, at [1:02:03] he leaves.')).toBe('At [00:12](#t=12) he waves, at [1:02:03](#t=3723) he leaves.');
  });

  it('links a range to its start and keeps the range as the label', () => {
    expect(linkTimestamps('Scene [01:05–01:20].')).toBe('Scene [01:05–01:20](#t=65).');
    expect(linkTimestamps('Scene [01:05 - 01:20].')).toBe('Scene [01:05 - 01:20](#t=65).');
  });

  it('leaves code spans alone, including ones that cross a line', () => {
    expect(linkTimestamps('Type `[00:12]` or ``a ` [00:12]`` then [00:13]')).toBe('Type `[00:12]` or ``a ` [00:12]`` then [00:13](#t=13)');
    expect(linkTimestamps('`start\n[00:12]` end')).toBe('`start\n[00:12]` end');
    expect(linkTimestamps('a ` lone [00:12]')).toBe('a ` lone [00:12](#t=12)');
  });

  it('leaves fenced and indented code blocks alone', () => {
    const fenced = '```\n[00:12]\n```\n~~~~\n[00:12]\n~~~~\nthen [00:12]';
    expect(linkTimestamps(fenced)).toBe('```\n[00:12]\n```\n~~~~\n[00:12]\n~~~~\nthen [00:12](#t=12)');
    expect(linkTimestamps('Code:\n\n    [00:12]\n\n    [00:13]\nText [00:14]')).toBe('Code:\n\n    [00:12]\n\n    [00:13]\nText [00:14](#t=14)');
  });

  it('links inside lists, where indentation continues the item', () => {
    expect(linkTimestamps('- one\n\n    more at [00:12]')).toBe('- one\n\n    more at [00:12](#t=12)');
  });

  it('leaves existing links, images, escapes and autolinks alone', () => {
    for (const text of ['[00:12](https://example.com)', '[see [00:12]](https://example.com)', '![00:12](x.png)', '\\[00:12]', '<https://example.com/[00:12]>']) {
      expect(linkTimestamps(text)).toBe(text);
    }
  });

  it('leaves what is not a time alone', () => {
    expect(linkTimestamps('[00:75] [note] [12:30 pm] [1]')).toBe('[00:75] [note] [12:30 pm] [1]');
  });

  it('produces links react-markdown keeps', () => {
    expect(defaultUrlTransform('#t=65')).toBe('#t=65');
  });
});
