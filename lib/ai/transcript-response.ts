/**
 * Reads whatever a transcription server answers into timed segments. Servers that speak OpenAI's
 * /audio/transcriptions disagree on nearly everything: segments with only id/start/end/text or with
 * a dozen extra fields, times in seconds, as strings, in centiseconds (whisper.cpp's t0/t1), in
 * milliseconds (`offsets`) or in nanoseconds (Go's time.Duration, LocalAI); words without segments;
 * plain text, SRT or VTT instead of JSON; the language as "en", "english", "English" or not at all.
 * The fixtures in e2e/stub-model/dialects record each; tests/lib/ai/transcript-response.test.ts reads them.
 */

export interface HeardSegment {
  startMs: number;
  endMs: number;
  text: string;
}

export interface HeardTranscript {
  language: string | null;
  durationMs: number | null;
  segments: HeardSegment[];
}

// Whisper's languages (openai/whisper tokenizer.py LANGUAGES), as servers name them: code or name.
const WHISPER_LANGUAGES =
  'en:english,zh:chinese,de:german,es:spanish,ru:russian,ko:korean,fr:french,ja:japanese,pt:portuguese,tr:turkish,pl:polish,ca:catalan,nl:dutch,' +
  'ar:arabic,sv:swedish,it:italian,id:indonesian,hi:hindi,fi:finnish,vi:vietnamese,he:hebrew,uk:ukrainian,el:greek,ms:malay,cs:czech,ro:romanian,' +
  'da:danish,hu:hungarian,ta:tamil,no:norwegian,th:thai,ur:urdu,hr:croatian,bg:bulgarian,lt:lithuanian,la:latin,mi:maori,ml:malayalam,cy:welsh,' +
  'sk:slovak,te:telugu,fa:persian,lv:latvian,bn:bengali,sr:serbian,az:azerbaijani,sl:slovenian,kn:kannada,et:estonian,mk:macedonian,br:breton,' +
  'eu:basque,is:icelandic,hy:armenian,ne:nepali,mn:mongolian,bs:bosnian,kk:kazakh,sq:albanian,sw:swahili,gl:galician,mr:marathi,pa:punjabi,' +
  'si:sinhala,km:khmer,sn:shona,yo:yoruba,so:somali,af:afrikaans,oc:occitan,ka:georgian,be:belarusian,tg:tajik,sd:sindhi,gu:gujarati,am:amharic,' +
  'yi:yiddish,lo:lao,uz:uzbek,fo:faroese,ht:haitian creole,ps:pashto,tk:turkmen,nn:nynorsk,mt:maltese,sa:sanskrit,lb:luxembourgish,my:myanmar,' +
  'bo:tibetan,tl:tagalog,mg:malagasy,as:assamese,tt:tatar,haw:hawaiian,ln:lingala,ha:hausa,ba:bashkir,jw:javanese,su:sundanese,yue:cantonese';
const codeOfName = new Map<string, string>();
const knownCodes = new Set<string>();
for (const pair of WHISPER_LANGUAGES.split(',')) {
  const [code, name] = pair.split(':');
  codeOfName.set(name, code);
  knownCodes.add(code);
}
// Other names servers use for the same languages.
for (const [name, code] of Object.entries({ castilian: 'es', valencian: 'ca', flemish: 'nl', haitian: 'ht', letzeburgesch: 'lb', pushto: 'ps', panjabi: 'pa', moldavian: 'ro', moldovan: 'ro', sinhalese: 'si', burmese: 'my', mandarin: 'zh' })) {
  codeOfName.set(name, code);
}

/** "en", "EN", "english", "English", "en-US", "en_us" → "en"; nothing recognisable → null. */
export function languageCode(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const value = raw.trim().toLowerCase();
  if (!value || value === 'unknown' || value === 'auto') return null;
  const base = value.split(/[-_]/)[0];
  if (knownCodes.has(value)) return value;
  if (knownCodes.has(base) && /^[a-z]{2,3}([-_][a-z0-9]+)?$/.test(value)) return base;
  return codeOfName.get(value) ?? null;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A time as a number: numbers, numeric strings and "hh:mm:ss,mmm" clock strings (in seconds). */
function timeValue(raw: unknown): number | null {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : null;
  if (typeof raw !== 'string') return null;
  const text = raw.trim();
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  const clock = parseClock(text);
  return clock === null ? null : clock / 1000;
}

/** "01:02:03,456", "02:03.456", "1:02:03" → milliseconds. */
function parseClock(text: string): number | null {
  const match = /^(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?$/.exec(text.trim());
  if (!match) return null;
  const [, h = '0', m, s, frac = '0'] = match;
  return ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000 + Number(frac.padEnd(3, '0'));
}

interface RawSpan {
  start: number;
  end: number;
  text: string;
  /** Known to be milliseconds already (whisper.cpp's `offsets`): no unit guessing. */
  ms?: boolean;
}

function spanOf(item: Json): RawSpan | null {
  const text = [item.text, item.transcript, item.word].find((value) => typeof value === 'string') as string | undefined;
  if (text === undefined) return null;
  if (isObject(item.offsets)) {
    const start = timeValue(item.offsets.from);
    const end = timeValue(item.offsets.to);
    if (start !== null && end !== null) return { start, end, text, ms: true };
  }
  if (isObject(item.timestamps)) {
    const start = typeof item.timestamps.from === 'string' ? parseClock(item.timestamps.from) : null;
    const end = typeof item.timestamps.to === 'string' ? parseClock(item.timestamps.to) : null;
    if (start !== null && end !== null) return { start, end, text, ms: true };
  }
  const start = timeValue(item.start ?? item.start_time ?? item.startTime ?? item.t0 ?? item.from);
  const end = timeValue(item.end ?? item.end_time ?? item.endTime ?? item.t1 ?? item.to);
  if (start === null || end === null) return null;
  // whisper.cpp names its centisecond times t0/t1.
  if (item.t0 !== undefined && item.start === undefined) return { start: start * 10, end: end * 10, text, ms: true };
  return { start, end, text };
}

/**
 * The factor that turns `spans`' times into milliseconds. Seconds are the norm; a server sending
 * another unit betrays it by times far past any audio's length (ten minutes of audio is 6e11 in
 * nanoseconds), so the unit is the first that puts the last end anywhere near the audio.
 */
function unitToMs(spans: RawSpan[], audioMs: number | null): number {
  const lastEnd = Math.max(0, ...spans.filter((s) => !s.ms).map((s) => s.end));
  const plausibleMs = (audioMs && audioMs > 0 ? audioMs : 3_600_000) * 20 + 60_000;
  for (const factor of [1000, 1, 1e-3, 1e-6]) if (lastEnd * factor <= plausibleMs) return factor;
  return 1e-6;
}

function toSegments(spans: RawSpan[], audioMs: number | null): HeardSegment[] {
  const factor = unitToMs(spans, audioMs);
  return spans
    .map((span) => {
      const scale = span.ms ? 1 : factor;
      const startMs = Math.max(0, Math.round(span.start * scale));
      return { startMs, endMs: Math.max(startMs, Math.round(span.end * scale)), text: span.text.replace(/\s+/g, ' ').trim() };
    })
    .filter((segment) => segment.text !== '')
    .sort((a, b) => a.startMs - b.startMs);
}

const SENTENCE_END = /[.!?。！？]$/;
const WORDS_PER_SEGMENT = 16;

/** Word timings without segments: words grouped into sentence-sized segments. */
function wordsToSpans(words: RawSpan[]): RawSpan[] {
  const spans: RawSpan[] = [];
  let current: RawSpan | null = null;
  let count = 0;
  for (const word of words) {
    const piece = word.text.trim();
    if (!piece) continue;
    if (current) {
      current.end = word.end;
      current.text += ` ${piece}`;
    } else current = { ...word, text: piece };
    count++;
    if (SENTENCE_END.test(piece) || count >= WORDS_PER_SEGMENT) {
      spans.push(current);
      current = null;
      count = 0;
    }
  }
  if (current) spans.push(current);
  return spans;
}

function listOf(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function fromJson(json: Json, audioMs: number | null): HeardTranscript {
  const rawDuration = timeValue(json.duration);
  const segmentList = listOf(json.segments ?? json.transcription ?? json.chunks);
  let spans = segmentList.map(spanOf).filter((s): s is RawSpan => s !== null);
  if (spans.length === 0) spans = wordsToSpans(listOf(json.words).map(spanOf).filter((s): s is RawSpan => s !== null));
  let segments = toSegments(spans, audioMs);
  const text = typeof json.text === 'string' ? json.text.trim() : '';
  // Text without times becomes one segment over the whole audio sent.
  if (segments.length === 0 && text) segments = [{ startMs: 0, endMs: audioMs ?? (rawDuration === null ? 0 : Math.round(rawDuration * 1000)), text }];
  const durationMs = rawDuration === null ? null : Math.round(rawDuration * unitToMs([{ start: 0, end: rawDuration, text: '' }], audioMs));
  const language = languageCode(json.language ?? json.detected_language ?? json.lang ?? (isObject(json.result) ? json.result.language : undefined));
  return { language, durationMs, segments };
}

/** SRT or WebVTT cues; null when `text` is neither. */
export function parseSubtitles(text: string): HeardSegment[] | null {
  const cue = /(?:^|\n)[^\n]*?((?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*((?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})[^\n]*\n([\s\S]*?)(?=\n\s*\n|$)/g;
  const segments: HeardSegment[] = [];
  for (const match of text.replace(/\r\n?/g, '\n').matchAll(cue)) {
    const startMs = parseClock(match[1]);
    const endMs = parseClock(match[2]);
    const words = match[3]
      .split('\n')
      .map((line) => line.replace(/<[^>]+>/g, '').trim())
      .filter(Boolean)
      .join(' ');
    if (startMs !== null && endMs !== null && words) segments.push({ startMs, endMs: Math.max(startMs, endMs), text: words });
  }
  return segments.length > 0 ? segments : null;
}

/**
 * The transcript in a server's answer, whatever its shape: JSON (any segment shape), SRT, VTT, or
 * plain text (one segment over the `audioMs` sent). Throws only when the body is empty of words
 * and not even JSON — the caller reports that server's answer as unreadable.
 */
export function readTranscriptionAnswer(body: string, audioMs: number | null): HeardTranscript {
  const trimmed = body.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const json = JSON.parse(trimmed) as unknown;
      if (isObject(json)) return withoutBlanks(fromJson(json, audioMs));
      if (Array.isArray(json)) return withoutBlanks(fromJson({ segments: json }, audioMs));
    } catch {
      // Not JSON after all ("[Music] …" is text): read as text below.
    }
  }
  // An HTML page with a 200 is a proxy or a wrong URL, not a transcript.
  if (/^<(!doctype|html|head|body)\b/i.test(trimmed)) throw new Error('the transcription answer is an HTML page, not a transcript');
  const cues = parseSubtitles(trimmed);
  if (cues) return withoutBlanks({ language: null, durationMs: null, segments: cues });
  return withoutBlanks({ language: null, durationMs: null, segments: trimmed ? [{ startMs: 0, endMs: audioMs ?? 0, text: trimmed.replace(/\s+/g, ' ') }] : [] });
}

// whisper.cpp writes this for silence; it is no speech.
const BLANK = /^\[(BLANK_AUDIO|SILENCE|NO_SPEECH)\]$/i;

function withoutBlanks(transcript: HeardTranscript): HeardTranscript {
  return { ...transcript, segments: transcript.segments.filter((segment) => !BLANK.test(segment.text)) };
}
