import { describe, expect, it } from 'vitest';
import { commonLanguages, languageLabel, sameLanguage } from '@/components/transcript/languages';

describe('languageLabel', () => {
  it('names ISO codes, two- and three-letter, with regions and scripts', () => {
    expect(languageLabel('en')).toBe('English');
    expect(languageLabel('EN')).toBe('English');
    expect(languageLabel('eng')).toBe('English');
    expect(languageLabel('fr')).toBe('French');
    expect(languageLabel('ja')).toBe('Japanese');
    expect(languageLabel('pt-BR')).toBe('Brazilian Portuguese');
    expect(languageLabel('zh_Hans')).toBe('Simplified Chinese');
    expect(languageLabel('iw')).toBe('Hebrew');
  });

  it('capitalises names as transcription models write them', () => {
    expect(languageLabel('english')).toBe('English');
    expect(languageLabel('  haitian   creole ')).toBe('Haitian Creole');
    expect(languageLabel('French')).toBe('French');
    expect(languageLabel('Deutsch')).toBe('Deutsch');
    expect(languageLabel('日本語')).toBe('日本語');
  });

  it('shows an unknown code as it is, in capitals, and nothing for nothing', () => {
    expect(languageLabel('xq')).toBe('XQ');
    expect(languageLabel(null)).toBeNull();
    expect(languageLabel(undefined)).toBeNull();
    expect(languageLabel('  ')).toBeNull();
  });

  it('reads every offered language as itself', () => {
    for (const name of commonLanguages) expect(languageLabel(name)).toBe(name);
  });
});

describe('sameLanguage', () => {
  it('matches a code with its name and ignores case', () => {
    expect(sameLanguage('french', 'French')).toBe(true);
    expect(sameLanguage('fr', 'French')).toBe(true);
    expect(sameLanguage('pt-BR', 'Brazilian Portuguese')).toBe(true);
    expect(sameLanguage('Portuguese', 'Brazilian Portuguese')).toBe(false);
    expect(sameLanguage('German', 'French')).toBe(false);
  });
});
