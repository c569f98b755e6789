import { db } from '@/lib/db/client';
import type { TimedText } from '@/lib/media/subtitles';

export function findTranscript(audioSha256: string, modelId: string) {
  return db().transcript.findUnique({ where: { audioSha256_modelId: { audioSha256, modelId } } });
}

/** Stores a transcript once per sound and model; a second attempt that raced this one gets the first's row. */
export function saveTranscript(data: { audioSha256: string; modelId: string; language: string | null; durationMs: number; segments: TimedText[] }) {
  const { audioSha256, modelId } = data;
  return db().transcript.upsert({ where: { audioSha256_modelId: { audioSha256, modelId } }, create: { ...data, segments: data.segments as object[] }, update: {} });
}

export async function setMediaTranscript(mediaId: string, transcriptId: string): Promise<void> {
  await db().media.update({ where: { id: mediaId }, data: { transcriptId } });
}

export function findTranslation(transcriptId: string, language: string, modelId: string) {
  return db().transcriptTranslation.findUnique({
    where: { transcriptId_languageKey_modelId: { transcriptId, languageKey: languageKey(language), modelId } },
  });
}

export const languageKey = (language: string) => language.trim().toLowerCase();

/** Stores a finished translation (once per transcript, language and model) and lists it on the upload that asked. */
export async function saveTranslation(
  mediaId: string,
  data: { transcriptId: string; language: string; modelId: string; texts: string[]; inputTokens: number; outputTokens: number; costUsd: number },
) {
  const key = { transcriptId: data.transcriptId, languageKey: languageKey(data.language), modelId: data.modelId };
  const translation = await db().transcriptTranslation.upsert({
    where: { transcriptId_languageKey_modelId: key },
    create: { ...data, language: data.language.trim(), languageKey: key.languageKey },
    update: {},
  });
  await addTranslationToMedia(mediaId, translation.id);
  return translation;
}

export async function addTranslationToMedia(mediaId: string, translationId: string): Promise<void> {
  await db().$executeRaw`UPDATE "Media" SET "translationIds" = array_append("translationIds", ${translationId})
    WHERE id = ${mediaId} AND NOT (${translationId} = ANY("translationIds"))`;
}

/** The translations listed on an upload, in the order they were asked for. */
export async function translationsOf(media: { transcriptId: string | null; translationIds: string[] }) {
  if (!media.transcriptId || media.translationIds.length === 0) return [];
  const rows = await db().transcriptTranslation.findMany({ where: { id: { in: media.translationIds }, transcriptId: media.transcriptId } });
  return media.translationIds.map((id) => rows.find((row) => row.id === id)).filter((row) => row !== undefined);
}

/**
 * Transcripts (and their translations) no upload points at any more — every upload of that sound
 * was deleted — made before `madeBefore`: the grace covers a job between saving a transcript and
 * attaching it. Run by the hourly sweep.
 */
export async function deleteUnusedTranscripts(madeBefore: Date): Promise<number> {
  const { count } = await db().transcript.deleteMany({ where: { createdAt: { lt: madeBefore }, media: { none: {} } } });
  return count;
}
