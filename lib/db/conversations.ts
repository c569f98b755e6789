import { db } from '@/lib/db/client';

export interface ConversationSummary {
  id: string;
  title: string;
  /** ISO 8601, so it crosses to the browser as it is. */
  updatedAt: string;
}

/** The sidebar's list: newest first. */
export async function listConversations(userId: string, take = 100): Promise<ConversationSummary[]> {
  const rows = await db().conversation.findMany({
    where: { userId },
    orderBy: { updatedAt: 'desc' },
    take,
    select: { id: true, title: true, updatedAt: true },
  });
  return rows.map((c) => ({ id: c.id, title: c.title, updatedAt: c.updatedAt.toISOString() }));
}

/** The conversation with its messages, or null when it does not exist or belongs to someone else. */
export function getConversationWithMessages(userId: string, id: string) {
  return db().conversation.findFirst({
    where: { id, userId },
    include: { messages: { orderBy: { createdAt: 'asc' } } },
  });
}

export function getConversation(userId: string, id: string) {
  return db().conversation.findFirst({ where: { id, userId } });
}

/** Deletes the conversation, its messages and the cached answers it produced ("cannot be undone" means gone). */
export async function deleteConversation(userId: string, id: string): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const { count } = await tx.conversation.deleteMany({ where: { id, userId } });
    if (count > 0) await tx.cacheEntry.deleteMany({ where: { sourceConversationId: id } });
    return count > 0;
  });
}

/** Renaming is not activity: plain SQL, because Prisma would bump @updatedAt and reorder the sidebar. */
export async function renameConversation(userId: string, id: string, title: string): Promise<boolean> {
  const count = await db().$executeRaw`UPDATE "Conversation" SET "title" = ${title} WHERE "id" = ${id} AND "userId" = ${userId}`;
  return count > 0;
}

/** A title from the first question: its first line, cut at a word boundary. */
export function titleFromQuestion(text: string, hasImages: boolean): string {
  const line = text.trim().split('\n')[0]?.trim() ?? '';
  if (!line) return hasImages ? 'Image question' : 'New conversation';
  if (line.length <= 60) return line;
  const cut = line.slice(0, 60);
  const space = cut.lastIndexOf(' ');
  return `${(space > 30 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
