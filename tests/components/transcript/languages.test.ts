import { describe, expect, it } from 'vitest';
import { commonLanguages, languageLabel, sameLanguage } from '@/components/transcript/languages';

describe('languageLabel', () => {
  it.each([
    ['en', 'English'],
    ['EN', 'English'],
    ['eng', 'English'],
    ['fr', 'French'],
    ['ja', 'Japanese'],
    ['pt-BR', 'Brazilian Portuguese'],
    ['zh_Hans', 'Simplified Chinese'],
    ['iw', 'Hebrew'],
  ])('names ISO codes, two- and three-letter, with regions and scripts: %j is %j', (code, name) => {
    expect(languageLabel(code)).toBe(name);
  });

  it.each([
    ['english', 'English'],
    ['  haitian   creole ', 'Haitian Creole'],
    ['French', 'French'],
    ['Deutsch', 'Deutsch'],
    ['日本語', '日本語'],
  ])('capitalises names as transcription models write them: %j is %j', (written, name) => {
    expect(languageLabel(written)).toBe(name);
  });

  it.each([
    ['xq', 'XQ'],
    [null, null],
    [undefined, null],
    ['  ', null],
  ])('shows an unknown code as it is, in capitals, and nothing for nothing: %j is %j', (code, label) => {
    expect(languageLabel(code)).toBe(label);
  });

  it('reads every offered language as itself', () => {
    for (const name of commonLanguages) expect(languageLabel(name)).toBe(name);
  });
});

describe('sameLanguage', () => {
  it.each([
    ['french', 'French', true],
    ['fr', 'French', true],
    ['pt-BR', 'Brazilian Portuguese', true],
    ['Portuguese', 'Brazilian Portuguese', false],
    ['German', 'French', false],
  ])('takes %j and %j for the same language: %s (a code matches its name; case is ignored)', (a, b, same) => {
    expect(sameLanguage(a, b)).toBe(same);
  });
});
