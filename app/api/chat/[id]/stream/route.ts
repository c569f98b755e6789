import { requireUser } from '@/lib/auth/session';
import { reattachStream } from '@/lib/chat/resumable';
import { getConversation } from '@/lib/db/conversations';
import { lastMessage } from '@/lib/db/messages';
import { AppError, notFoundMessage } from '@/lib/errors';
import { parseParams, route } from '@/lib/http';
import { idParams } from '@/lib/http-schemas';

export const runtime = 'nodejs';
export const maxDuration = 300;

const nothingRunning = () => new Response(null, { status: 204 });

// GET /api/chat/:id/stream – the answer being written in the caller's conversation, from its start (204 when none is)
export const GET = route(async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await parseParams(params, idParams, notFoundMessage.conversation);
  const userId = await requireUser();
  if (!(await getConversation(userId, id))) throw new AppError('not_found', notFoundMessage.conversation);
  // The stored row says whether an answer is running and which: its id is the shared stream's.
  const last = await lastMessage(id);
  if (last?.role !== 'assistant' || last.status !== 'streaming') return nothingRunning();
  return (await reattachStream(last.id)) ?? nothingRunning();
});
