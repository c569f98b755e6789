import { after } from 'next/server';
import { randomUUID } from 'node:crypto';
import { imageBudgetFor } from '@/lib/ai/budget';
import type { ModelSpec } from '@/lib/ai/catalog';
import { findModel, availableModels } from '@/lib/ai/registry';
import { claimAnswer, releaseAnswer } from '@/lib/chat/active';
import { answerStream } from '@/lib/chat/answer';
import { compareStream } from '@/lib/chat/compare';
import { resumableAnswerResponse } from '@/lib/chat/resumable';
import { COMPARE_IMAGES, DEFAULT_COMPARE_QUESTION, isComparisonQuestion } from '@/lib/chat/comparison-schema';
import { loadTurns } from '@/lib/chat/conversation-input';
import { tiledAnswerStream } from '@/lib/chat/tiled-answer';
import { mediaIdFromUrl, mediaUrl, textOfParts, tiledMediaIds, type ChatMessage } from '@/lib/chat/types';
import { checkMessageQuota } from '@/lib/auth/quotas';
import { enforceRateLimit } from '@/lib/auth/rate-limit';
import { requireCaller } from '@/lib/auth/session';
import { imageUploadLimits } from '@/lib/config';
import { db } from '@/lib/db/client';
import { titleFromQuestion } from '@/lib/db/conversations';
import { getOwnedMediaMany } from '@/lib/db/media';
import { getVideoJob } from '@/lib/db/video-jobs';
import type { Media } from '@/lib/generated/prisma/client';
import { conversationMessages, deleteAnswer, lastMessage, saveQuestion } from '@/lib/db/messages';
import { AppError, notFoundMessage } from '@/lib/errors';
import { parseJson, route } from '@/lib/http';
import { modelImageSize } from '@/lib/media/resize';
import { planTiles } from '@/lib/media/tile-plan';
import { CHAT_BODY_BYTES, chatRequestSchema, type ChatRequest } from './schema';

export const runtime = 'nodejs';
export const maxDuration = 300;

// POST /api/chat – ask (or re-ask) a question in a conversation; streams the answer
export const POST = route(async (request: Request) => {
  const caller = await requireCaller();
  const userId = caller.id;
  await enforceRateLimit('chat', userId);
  const body = await parseJson(request, chatRequestSchema, CHAT_BODY_BYTES);
  // Only a new question counts toward the daily messages; regenerating an answer does not.
  if (body.trigger === 'submit-message') await checkMessageQuota(caller);

  const existing = await db().conversation.findUnique({ where: { id: body.id } });
  if (existing && existing.userId !== userId) throw new AppError('not_found', notFoundMessage.conversation);
  const model = await findModel(body.modelId);
  if (!model) {
    const anyModel = (await availableModels()).length > 0;
    throw anyModel
      ? new AppError('bad_request', `The model "${body.modelId}" is not available. Pick another one.`)
      : new AppError('model_unavailable', 'No model is configured on this server. See the setup panel.');
  }
  const slot = claimAnswer(body.id);
  if (!slot) throw new AppError('conflict', 'An answer is still being written in this conversation. Wait for it or stop it first.');
  try {
    if (body.trigger === 'submit-message') {
      await saveNewQuestion(userId, body, existing === null, model);
    } else {
      await clearAnswerToRegenerate(existing?.id ?? null, body.messageId);
    }
    const rows = await conversationMessages(body.id);
    const question = rows.findLast((r) => r.role === 'user');
    const request = { conversationId: body.id, answerId: randomUUID(), model, detail: body.detail, bypassCache: body.trigger === 'regenerate-message', slot };
    // The question says how it is answered, so regenerating a comparison compares again and fine detail reads the tiles again.
    const parts = (question?.parts ?? []) as ChatMessage['parts'];
    const tiled = tiledMediaIds(parts);
    const answer = isComparisonQuestion(parts)
      ? await compareStream({ ...request, turn: (await loadTurns([question!]))[0] })
      : tiled.length > 0
        ? await tiledAnswerStream({ ...request, turns: await loadTurns(rows), tiled })
        : await answerStream({ ...request, turns: await loadTurns(rows) });
    // Keeps a serverless function alive until the answer is stored, even if the browser left.
    after(answer.stored);
    // Shared under the answer's id so GET /api/chat/[id]/stream can reattach a reloaded or cut-off page.
    return await resumableAnswerResponse(request.answerId, answer.stream);
  } catch (error) {
    releaseAnswer(body.id, slot);
    throw error;
  }
});

async function saveNewQuestion(
  userId: string,
  body: Extract<ChatRequest, { trigger: 'submit-message' }>,
  isNew: boolean,
  model: ModelSpec,
) {
  const compare = body.mode === 'compare';
  const text = textOfParts(body.message.parts, '\n').trim() || (compare ? DEFAULT_COMPARE_QUESTION : '');
  const requested = body.message.parts.flatMap((p) => (p.type === 'file' ? [p.url] : []));
  if (compare) checkComparisonSize(requested.length);
  const { maxPerMessage } = imageUploadLimits();
  if (requested.length > maxPerMessage) {
    throw new AppError('too_many_files', `This message has ${requested.length} files; the limit is ${maxPerMessage} per message.`);
  }
  if (!text && requested.length === 0) throw new AppError('bad_request', 'Write a question or attach a file.');

  const ids = requested.map((url) => mediaIdFromUrl(url));
  if (ids.some((id) => id === null)) throw new AppError('bad_request', 'Files must be uploaded through Glimpse before they are sent.');
  const owned = await getOwnedMediaMany(userId, ids as string[]);
  const usable = new Map(owned.filter((m) => m.conversationId === null || m.conversationId === body.id).map((m) => [m.id, m]));
  if (usable.size !== new Set(ids).size) throw new AppError('not_found', 'One of the attached files no longer exists. Remove it and attach it again.');

  const notImage = [...usable.values()].find((m) => m.kind !== 'image');
  if (compare && notImage) throw new AppError('bad_request', `A comparison takes images only; "${notImage.filename}" is not one. Remove it, or send it as a question.`);
  await checkProcessed([...usable.values()]);
  const tiled = checkTiles(body, ids as string[], usable, model);

  const parts: ChatMessage['parts'] = [
    ...(ids as string[]).map((id) => {
      const media = usable.get(id)!;
      return { type: 'file' as const, mediaType: media.mediaType, url: mediaUrl(media.id), filename: media.filename };
    }),
    ...(text ? [{ type: 'text' as const, text }] : []),
    ...(compare ? [{ type: 'data-compare' as const, data: {} }] : []),
    ...(tiled.length > 0 ? [{ type: 'data-tiles' as const, data: { mediaIds: tiled } }] : []),
  ];
  await saveQuestion({
    userId,
    conversationId: body.id,
    newConversation: isNew ? { title: titleFromQuestion(text, ids.length > 0), modelId: model.id } : null,
    message: { id: randomUUID(), parts },
    mediaIds: [...usable.keys()],
  });
}

/**
 * Fine detail reads an image in tiles, a model call each: only for this message's images, and only
 * those the model would otherwise shrink enough to lose detail (lib/media/tile-plan.ts). In message order.
 */
function checkTiles(body: Extract<ChatRequest, { trigger: 'submit-message' }>, ids: string[], usable: Map<string, Media>, model: ModelSpec): string[] {
  if (body.tiles.length === 0) return [];
  if (body.mode === 'compare') throw new AppError('bad_request', 'Fine detail is for questions, not comparisons. Turn it off to compare, or send without Compare.');
  const budget = imageBudgetFor(model, body.detail);
  const wanted = new Set(body.tiles);
  for (const id of wanted) {
    const item = usable.get(id);
    if (!item) throw new AppError('bad_request', 'Fine detail was asked for a file that is not attached to this message. Attach it, or turn fine detail off.');
    if (item.kind !== 'image') throw new AppError('bad_request', `"${item.filename}" is not an image: fine detail reads images only. Turn it off for this file.`);
    if (!planTiles(item, budget)) {
      const sent = modelImageSize(item.width, item.height, budget);
      throw new AppError(
        'bad_request',
        `"${item.filename}" (${item.width} × ${item.height}) goes to ${model.label} at ${sent.width} × ${sent.height}, which keeps its detail, so fine detail would add nothing. ` +
          'It is for images shrunk to less than half their size (two thirds for long strips), such as long screenshots. Turn it off and send again.',
      );
    }
  }
  return [...new Set(ids)].filter((id) => wanted.has(id));
}

/** A comparison is a table of 2 to 10 images, whatever the per-message limit allows. */
function checkComparisonSize(count: number) {
  const { min, max } = COMPARE_IMAGES;
  if (count < min) throw new AppError('bad_request', `A comparison takes ${min} to ${max} images; this message has ${count}. Attach at least ${min}.`);
  if (count > max) throw new AppError('too_many_files', `A comparison takes ${min} to ${max} images; this message has ${count}. Remove ${count - max}.`);
}

/**
 * A video can be asked about once its timeline exists, a recording once its transcript does. One
 * video per message, so citations seek one player; recordings may come several at once (a batch).
 */
async function checkProcessed(media: Media[]) {
  const videos = media.filter((m) => m.kind === 'video');
  if (videos.length > 1) throw new AppError('too_many_files', `This message has ${videos.length} videos; attach one video per message.`);
  for (const item of media.filter((m) => m.kind !== 'image')) {
    const job = await getVideoJob(item.id);
    if (job?.status === 'succeeded') continue;
    if (job?.status === 'failed' || job?.status === 'canceled') {
      throw new AppError('conflict', `"${item.filename}" was not processed (${job.status}). Retry it, or remove it and send your question.`);
    }
    const ready = item.kind === 'audio' ? 'its transcript' : 'its timeline';
    throw new AppError('conflict', `"${item.filename}" is still being processed (${Math.round((job?.progress ?? 0) * 100)}%). Send your question when ${ready} is ready.`);
  }
}

/** Regenerate replaces the given answer; without one it answers a question left unanswered. */
async function clearAnswerToRegenerate(conversationId: string | null, messageId: string | undefined) {
  if (!conversationId) throw new AppError('not_found', notFoundMessage.conversation);
  const last = await lastMessage(conversationId);
  if (messageId) {
    // Only the latest answer: replacing one in the middle would leave two questions in a row.
    if (last?.id !== messageId || !(await deleteAnswer(conversationId, messageId))) {
      throw new AppError('conflict', 'Only the latest answer can be regenerated. Reload the page to see the conversation as it is now.');
    }
    return;
  }
  if (last?.role !== 'user') throw new AppError('conflict', 'There is no unanswered question to retry. Ask again.');
}
