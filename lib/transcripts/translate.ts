import { defaultModel, findModel } from '@/lib/ai/registry';
import { translateSegments } from '@/lib/ai/translation';
import { checkMessageQuota, type Caller } from '@/lib/auth/quotas';
import { describeModelError } from '@/lib/chat/model-errors';
import { db } from '@/lib/db/client';
import { addTranslationToMedia, findTranslation, saveTranslation } from '@/lib/db/transcripts';
import { recordUsage } from '@/lib/db/usage';
import type { Media } from '@/lib/generated/prisma/client';
import { AppError } from '@/lib/errors';
import { loadTranscriptView } from '@/lib/transcripts/load';
import { translationView, type TranslationView } from '@/lib/transcripts/view';

/** One line of the NDJSON stream a translation request answers with. */
export type TranslationEvent =
  | { type: 'segment'; index: number; text: string }
  | { type: 'done'; translation: TranslationView }
  | { type: 'error'; message: string };

/** The language model that translates: the conversation's, else the server's default. */
async function translatorFor(media: Media) {
  const conversation = media.conversationId ? await db().conversation.findUnique({ where: { id: media.conversationId }, select: { modelId: true } }) : null;
  const model = (conversation && (await findModel(conversation.modelId))) || (await defaultModel());
  if (!model) throw new AppError('model_unavailable', 'No language model is configured on this server, so nothing can be translated.');
  return model;
}

/**
 * Translates an upload's transcript into `language`, as NDJSON events: each segment as the model
 * writes it (keyed by its index, so its times stay the original's), then the stored translation.
 * One already made (same transcript, language and model) comes back at once and costs nothing;
 * a new one counts as a message against the day's quota once it is made. Checks that can fail are made before the
 * stream starts, so they come back as ordinary error responses.
 */
export async function streamTranslation(caller: Caller, media: Media, language: string, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
  const transcript = await loadTranscriptView(media);
  if (!transcript || !media.transcriptId) throw new AppError('conflict', 'This recording has no transcript yet; wait until it is transcribed.');
  if (transcript.segments.length === 0) throw new AppError('conflict', 'Nothing was said in this recording, so there is nothing to translate.');
  const model = await translatorFor(media);
  const transcriptId = media.transcriptId;
  const known = await findTranslation(transcriptId, language, model.id);
  if (!known) await checkMessageQuota(caller);

  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (event: TranslationEvent) => controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
      try {
        if (known) {
          await addTranslationToMedia(media.id, known.id);
          send({ type: 'done', translation: translationView(known) });
        } else {
          const result = await translateSegments({
            segments: transcript.segments,
            language,
            model,
            signal,
            onSegment: (index, text) => send({ type: 'segment', index, text }),
          });
          const saved = await saveTranslation(media.id, { transcriptId, language, modelId: model.id, ...result });
          // Counted once it exists: a stopped or failed translation costs the person nothing.
          await recordUsage({ userId: caller.id, kind: 'message', amount: 1 });
          send({ type: 'done', translation: translationView(saved) });
        }
      } catch (error) {
        if (!signal.aborted) send({ type: 'error', message: error instanceof AppError ? error.message : describeModelError(error) });
      }
      controller.close();
    },
  });
}
