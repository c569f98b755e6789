/** Languages offered when asking for a translation; any other name can be typed. */
export const commonLanguages = [
  'English',
  'Spanish',
  'French',
  'German',
  'Italian',
  'Portuguese',
  'Brazilian Portuguese',
  'Dutch',
  'Polish',
  'Swedish',
  'Norwegian',
  'Danish',
  'Finnish',
  'Greek',
  'Czech',
  'Romanian',
  'Hungarian',
  'Ukrainian',
  'Russian',
  'Turkish',
  'Arabic',
  'Hebrew',
  'Persian',
  'Hindi',
  'Bengali',
  'Urdu',
  'Indonesian',
  'Vietnamese',
  'Thai',
  'Simplified Chinese',
  'Traditional Chinese',
  'Japanese',
  'Korean',
  'Swahili',
] as const;

/** A code as a transcription model or a person writes one: `en`, `eng`, `pt-BR`, `zh_Hans`. */
const languageCode = /^[a-z]{2,3}(?:[-_][a-z0-9]{2,8})*$/i;

let names: Intl.DisplayNames | null | undefined;
function displayNames(): Intl.DisplayNames | null {
  if (names === undefined) {
    try {
      names = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
    } catch {
      names = null;
    }
  }
  return names;
}

/** Codes read as names even without the browser's language names (or where they are missing). */
const knownCodes: Record<string, string> = {
  en: 'English',
  es: 'Spanish',
  fr: 'French',
  de: 'German',
  it: 'Italian',
  pt: 'Portuguese',
  nl: 'Dutch',
  ru: 'Russian',
  zh: 'Chinese',
  ja: 'Japanese',
  ko: 'Korean',
  ar: 'Arabic',
  hi: 'Hindi',
  tr: 'Turkish',
  pl: 'Polish',
  uk: 'Ukrainian',
  sv: 'Swedish',
  he: 'Hebrew',
  iw: 'Hebrew',
};

function nameOfCode(code: string): string | null {
  const tag = code.replaceAll('_', '-');
  try {
    const name = displayNames()?.of(tag);
    if (name && name.toLowerCase() !== tag.toLowerCase()) return name;
  } catch {
    // Not a well-formed tag after all.
  }
  return knownCodes[tag.split('-')[0].toLowerCase()] ?? null;
}

/** "haitian creole" → "Haitian Creole"; words already capitalised (or in other scripts) stay as written. */
function titleCase(name: string): string {
  return name.replace(/(^|[\s(-])(\p{Ll})/gu, (_, before: string, letter: string) => before + letter.toUpperCase());
}

/**
 * A language as people read it: transcription models name it by code (`en`, `pt-BR`) or in lower
 * case (`english`), translations as someone typed it. Null when there is nothing to show.
 */
export function languageLabel(language: string | null | undefined): string | null {
  const text = language?.trim().replace(/\s+/g, ' ');
  if (!text) return null;
  if (languageCode.test(text)) {
    const name = nameOfCode(text);
    if (name) return name;
  }
  return titleCase(text.length <= 3 && text === text.toLowerCase() ? text.toUpperCase() : text);
}

/** Whether two names mean the same language as far as this page can tell ("french" and "French", "fr" and "French"). */
export const sameLanguage = (a: string, b: string) => languageLabel(a)?.toLowerCase() === languageLabel(b)?.toLowerCase();
