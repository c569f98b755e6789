import type { Message, Prisma } from '@/lib/generated/prisma/client';
import { db } from '@/lib/db/client';
import { recordUsage } from '@/lib/db/usage';
import type { AnswerStatus, ChatMessage, MessageMeta } from '@/lib/chat/types';

export function toChatMessage(row: Message): ChatMessage {
  const metadata: MessageMeta =
    row.role === 'assistant'
      ? {
          modelId: row.modelId ?? undefined,
          detail: row.detail ?? undefined,
          inputTokens: row.inputTokens ?? undefined,
          outputTokens: row.outputTokens ?? undefined,
          reasoningTokens: row.reasoningTokens ?? undefined,
          costUsd: row.costUsd,
          latencyMs: row.latencyMs ?? undefined,
          cached: row.cached,
          status: row.status,
          error: row.errorCode ?? undefined,
        }
      : {};
  return { id: row.id, role: row.role, parts: row.parts as ChatMessage['parts'], metadata };
}

/** The user's question and, when it starts a conversation, the conversation itself: all or nothing. */
export async function saveQuestion(input: {
  userId: string;
  conversationId: string;
  newConversation: { title: string; modelId: string } | null;
  message: { id: string; parts: ChatMessage['parts'] };
  mediaIds: string[];
}): Promise<void> {
  const { userId, conversationId, newConversation, message, mediaIds } = input;
  await db().$transaction(async (tx) => {
    if (newConversation) {
      await tx.conversation.create({ data: { id: conversationId, userId, ...newConversation } });
    } else {
      await tx.conversation.update({ where: { id: conversationId }, data: { updatedAt: new Date() } });
    }
    await tx.message.create({
      data: { id: message.id, conversationId, role: 'user', parts: message.parts as Prisma.InputJsonValue },
    });
    await recordUsage({ userId, kind: 'message', amount: 1 }, tx);
    if (mediaIds.length > 0) {
      await tx.media.updateMany({ where: { id: { in: mediaIds }, userId }, data: { conversationId } });
    }
  });
}

export async function startAnswer(input: { id: string; conversationId: string; modelId: string; detail: string }) {
  await db().message.create({
    data: { ...input, role: 'assistant', parts: [], status: 'streaming' },
  });
}

export async function finishAnswer(
  id: string,
  result: {
    text: string;
    /** A thinking model's reasoning: a part of its own before the text, shown folded, never the answer. */
    reasoning?: string;
    /** Data parts (a comparison) stored after the text. */
    data?: ChatMessage['parts'];
    status: Exclude<AnswerStatus, 'streaming'>;
    modelId: string;
    inputTokens: number | null;
    outputTokens: number | null;
    reasoningTokens?: number | null;
    costUsd: number | null;
    latencyMs: number;
    cached: boolean;
    error: string | null;
  },
): Promise<void> {
  const { text, reasoning, data = [], error, ...rest } = result;
  const parts = [...(reasoning ? [{ type: 'reasoning', text: reasoning, state: 'done' }] : []), ...(text ? [{ type: 'text', text }] : []), ...data] as Prisma.InputJsonValue;
  await db().message.update({ where: { id }, data: { ...rest, parts, errorCode: error } });
}

/** Regenerating replaces the last answer; only that assistant message goes. */
export async function deleteAnswer(conversationId: string, id: string): Promise<boolean> {
  const { count } = await db().message.deleteMany({ where: { id, conversationId, role: 'assistant' } });
  return count > 0;
}

export function conversationMessages(conversationId: string) {
  return db().message.findMany({ where: { conversationId }, orderBy: { createdAt: 'asc' } });
}

/**
 * Answers are written by the process that started them, so one still marked as being written
 * that its process no longer has was cut off: say so instead of leaving it spinning. A process
 * alone owns none when it starts (every such answer); beside other instances, only answers
 * started before `startedBefore` are surely no one's.
 */
export async function abandonUnfinishedAnswers(startedBefore?: Date): Promise<number> {
  const { count } = await db().message.updateMany({
    where: { status: 'streaming', ...(startedBefore ? { createdAt: { lt: startedBefore } } : {}) },
    data: { status: 'error', errorCode: 'The server restarted before this answer was finished. Try again.' },
  });
  return count;
}

/** The newest message of a conversation, to decide what a retry without a message id means. */
export function lastMessage(conversationId: string) {
  return db().message.findFirst({ where: { conversationId }, orderBy: { createdAt: 'desc' } });
}
