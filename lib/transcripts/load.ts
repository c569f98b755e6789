import { db } from '@/lib/db/client';
import { translationsOf } from '@/lib/db/transcripts';
import { transcriptView, type TranscriptView } from '@/lib/transcripts/view';

/** The transcript of an upload and the translations its owner asked for; null until it is transcribed. */
export async function loadTranscriptView(media: { transcriptId: string | null; translationIds: string[] }): Promise<TranscriptView | null> {
  if (!media.transcriptId) return null;
  const transcript = await db().transcript.findUnique({ where: { id: media.transcriptId } });
  return transcript ? transcriptView(transcript, await translationsOf(media)) : null;
}
