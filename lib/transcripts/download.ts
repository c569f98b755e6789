import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { attachmentDisposition } from '@/lib/http';
import { toSrt, toTxt, toVtt, type TimedText } from '@/lib/media/subtitles';
import type { TranscriptView } from '@/lib/transcripts/view';

/** `?format=` and, for a translation instead of the original, `&translation=<id>`. */
export const transcriptDownloadQuery = z.object({
  format: z.enum(['txt', 'srt', 'vtt']),
  translation: z.uuid().optional(),
});

export type TranscriptDownloadQuery = z.infer<typeof transcriptDownloadQuery>;
export const transcriptQueryMessage = 'Ask for ?format=txt, srt or vtt.';

const formats = {
  txt: { write: toTxt, contentType: 'text/plain; charset=utf-8' },
  srt: { write: toSrt, contentType: 'application/x-subrip; charset=utf-8' },
  vtt: { write: toVtt, contentType: 'text/vtt; charset=utf-8' },
} as const;

/** "Interview.mp3" + French → "Interview.french.srt". */
function downloadName(filename: string, language: string | null, format: string): string {
  const base = filename.replace(/\.[^./\\]{1,5}$/, '') || 'transcript';
  const suffix = language ? `.${language.toLowerCase().replace(/[^\p{L}\p{N}-]+/gu, '-').replace(/^-|-$/g, '')}` : '';
  return `${base}${suffix}.${format}`;
}

/** The transcript, or one of its translations (same times, translated text), as a file to download. */
export function transcriptDownload(query: TranscriptDownloadQuery, filename: string, transcript: TranscriptView | null): Response {
  if (!transcript) throw new AppError('not_found', 'There is no transcript yet.');
  let segments: TimedText[] = transcript.segments;
  let language: string | null = null;
  if (query.translation) {
    const translation = transcript.translations.find((t) => t.id === query.translation);
    if (!translation) throw new AppError('not_found', 'This translation does not exist.');
    segments = segments.map((segment, i) => ({ ...segment, text: translation.texts[i] ?? '' }));
    language = translation.language;
  }
  const { write, contentType } = formats[query.format];
  return new Response(write(segments), {
    headers: {
      'content-type': contentType,
      'content-disposition': attachmentDisposition(downloadName(filename, language, query.format)),
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}
