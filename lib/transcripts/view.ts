import type { Transcript, TranscriptTranslation } from '@/lib/generated/prisma/client';
import { translationsOf } from '@/lib/db/transcripts';
import { db } from '@/lib/db/client';
import type { TimedText } from '@/lib/media/subtitles';

export interface TranslationView {
  id: string;
  language: string;
  /** One per transcript segment, same order: the segment's times apply. */
  texts: string[];
}

export interface TranscriptView {
  /** As the model named it ("english", "en"); null when it did not say. */
  language: string | null;
  segments: TimedText[];
  translations: TranslationView[];
}

export const translationView = (row: TranscriptTranslation): TranslationView => ({ id: row.id, language: row.language, texts: row.texts as string[] });

export function transcriptView(transcript: Transcript, translations: TranscriptTranslation[]): TranscriptView {
  return { language: transcript.language, segments: transcript.segments as unknown as TimedText[], translations: translations.map(translationView) };
}

/** The transcript of an upload and the translations its owner asked for; null until it is transcribed. */
export async function loadTranscriptView(media: { transcriptId: string | null; translationIds: string[] }): Promise<TranscriptView | null> {
  if (!media.transcriptId) return null;
  const transcript = await db().transcript.findUnique({ where: { id: media.transcriptId } });
  return transcript ? transcriptView(transcript, await translationsOf(media)) : null;
}

/** Where an upload's transcript is downloaded from: `?format=srt|vtt|txt`, and `&translation=<id>` for a translation. */
export const transcriptDownloadUrl = (mediaId: string) => `/api/media/${mediaId}/transcript`;
export const translationsUrl = (mediaId: string) => `/api/media/${mediaId}/translations`;
/** A shared upload's transcript downloads go through the link, so revoking it stops them too. */
export const sharedTranscriptUrl = (token: string, mediaId: string) => `/share/${token}/media/${mediaId}/transcript`;
