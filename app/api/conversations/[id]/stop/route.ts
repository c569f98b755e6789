import { requireUser } from '@/lib/auth/session';
import { stopAnswerAnywhere } from '@/lib/chat/resumable';
import { getConversation } from '@/lib/db/conversations';
import { AppError, notFoundMessage } from '@/lib/errors';
import { parseParams, route } from '@/lib/http';
import { paramsSchema } from './schema';

export const runtime = 'nodejs';

// POST /api/conversations/:id/stop – stop the answer being written; what was written so far is kept
export const POST = route(async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await parseParams(params, paramsSchema, notFoundMessage.conversation);
  const userId = await requireUser();
  if (!(await getConversation(userId, id))) throw new AppError('not_found', notFoundMessage.conversation);
  return Response.json({ stopped: await stopAnswerAnywhere(id) });
});
