import type { Media } from '@/lib/generated/prisma/client';
import { formatTimestamp } from '@/lib/media/video/timestamps';
import type { TimedText } from '@/lib/media/subtitles';
import { mentionedSeconds, words } from '@/lib/chat/question-words';

/**
 * The most transcript sent with one question (about 15 k tokens), shared by all its recordings.
 * Hours of speech are longer: then the lines the question points at (by time or by words) and
 * evenly spread ones are sent.
 */
export const MAX_TRANSCRIPT_CHARS = 60_000;

const line = (s: TimedText) => `[${formatTimestamp(s.startMs)}–${formatTimestamp(s.endMs)}] ${s.text}`;

/** Segments to send for `question` within `maxChars`, in time order. */
export function relevantSegments(segments: TimedText[], question: string, maxChars = MAX_TRANSCRIPT_CHARS): TimedText[] {
  const total = segments.reduce((sum, s) => sum + line(s).length + 1, 0);
  if (total <= maxChars) return segments;
  const chosen = new Set<number>();
  let used = 0;
  const take = (i: number) => {
    if (chosen.has(i) || used + line(segments[i]).length + 1 > maxChars) return;
    chosen.add(i);
    used += line(segments[i]).length + 1;
  };
  // Around each time the question names, a minute either side.
  for (const second of mentionedSeconds(question)) {
    segments.forEach((s, i) => Math.abs(s.startMs / 1000 - second) <= 60 && take(i));
  }
  // Lines sharing words with the question, best first, up to half the budget.
  const asked = words(question);
  segments
    .map((s, i) => ({ i, score: [...words(s.text)].filter((w) => asked.has(w)).length }))
    .filter(({ score }) => score > 0)
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .forEach(({ i }) => used < maxChars / 2 && take(i));
  // The rest evenly over the whole recording, so the model still hears all of it.
  const step = Math.max(1, Math.floor(segments.length / Math.max(1, Math.floor((maxChars - used) / 120))));
  for (let i = 0; i < segments.length; i += step) take(i);
  return [...chosen].sort((a, b) => a - b).map((i) => segments[i]);
}

/** A recording in words, for the model and for the cache key. */
export function recordingContext(
  media: Pick<Media, 'filename' | 'durationMs'>,
  transcript: { language: string | null; segments: TimedText[] } | null,
  question: string,
  maxChars = MAX_TRANSCRIPT_CHARS,
): string {
  const head = `Recording "${media.filename}", ${formatTimestamp(media.durationMs ?? 0)} long${transcript?.language ? `, spoken language: ${transcript.language}` : ''}.`;
  if (!transcript) return `${head}\nIt has not been transcribed.`;
  if (transcript.segments.length === 0) return `${head}\nNo speech was heard in it (silence or noise).`;
  const sent = relevantSegments(transcript.segments, question, maxChars);
  const excerpt = sent.length < transcript.segments.length ? ` (excerpts: ${sent.length} of ${transcript.segments.length} lines)` : '';
  return [`${head}`, `Transcript${excerpt} ([start–end] what was said):`, ...sent.map(line)].join('\n');
}
