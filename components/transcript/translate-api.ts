import type { TranslationEvent } from '@/lib/transcripts/translate';
import type { TranslationView } from '@/lib/transcripts/view';
import { readNdjson } from '@/components/transcript/ndjson';

export type { TranslationEvent, TranslationView };

export type TranscriptFormat = 'txt' | 'srt' | 'vtt';

/** The download of a transcript (`translationId` null) or one of its translations, as a file. */
export function transcriptDownloadHref(transcriptUrl: string, format: TranscriptFormat, translationId: string | null): string {
  const query = new URLSearchParams({ format });
  if (translationId) query.set('translation', translationId);
  return `${transcriptUrl}${transcriptUrl.includes('?') ? '&' : '?'}${query}`;
}

const unreachable = 'Could not reach the server. Check your connection and try again.';

/**
 * Asks for a translation into `language` and follows it: `onSegments` gets the lines as the model
 * writes them (by their index in the transcript, in any order), and the stored translation is the
 * result. A refusal (validation, quota, no model…) throws the route's JSON body as the message, for
 * `readableError`; so does a failure mid-way. Aborting `signal` throws an `AbortError`.
 */
export async function requestTranslation(
  translationsUrl: string,
  language: string,
  options: { signal: AbortSignal; onSegments: (segments: { index: number; text: string }[]) => void },
): Promise<TranslationView> {
  const { signal, onSegments } = options;
  const res = await fetch(translationsUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ language }),
    signal,
  }).catch((error: unknown) => {
    throw signal.aborted ? error : new Error(unreachable);
  });
  if (!res.ok || !res.body) throw new Error((await res.text().catch(() => '')) || `Translation failed (HTTP ${res.status})`);

  for await (const events of readNdjson<TranslationEvent>(res.body)) {
    const segments: { index: number; text: string }[] = [];
    for (const event of events) {
      if (event.type === 'segment') segments.push({ index: event.index, text: event.text });
      else if (event.type === 'error') throw new Error(event.message || 'The translation failed. Try again.');
      else if (event.type === 'done') {
        if (segments.length > 0) onSegments(segments);
        return event.translation;
      }
    }
    if (segments.length > 0) onSegments(segments);
  }
  if (signal.aborted) throw new DOMException('The translation was stopped.', 'AbortError');
  throw new Error('The translation stopped before the end. Try again.');
}

export const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';
