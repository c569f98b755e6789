// Pure data and URLs: the browser bundle imports this (through the video and recording views), so no database here.
import type { Transcript, TranscriptTranslation } from '@/lib/generated/prisma/client';
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

/** Where an upload's transcript is downloaded from: `?format=srt|vtt|txt`, and `&translation=<id>` for a translation. */
export const transcriptDownloadUrl = (mediaId: string) => `/api/media/${mediaId}/transcript`;
export const translationsUrl = (mediaId: string) => `/api/media/${mediaId}/translations`;
/** A shared upload's transcript downloads go through the link, so revoking it stops them too. */
export const sharedTranscriptUrl = (token: string, mediaId: string) => `/share/${token}/media/${mediaId}/transcript`;
