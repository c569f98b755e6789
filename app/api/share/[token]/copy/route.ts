import { enforceRateLimit } from '@/lib/auth/rate-limit';
import { currentUser } from '@/lib/auth/session';
import { continueInCopy } from '@/lib/share/copy';
import { AppError, notFoundMessage } from '@/lib/errors';
import { parseParams, route } from '@/lib/http';
import { paramsSchema } from './schema';

export const runtime = 'nodejs';

// POST /api/share/:token/copy – continue a shared conversation in a copy of its snapshot owned by the caller
export const POST = route(async (_request: Request, { params }: { params: Promise<{ token: string }> }) => {
  const { token } = await parseParams(params, paramsSchema, notFoundMessage.sharedConversation);
  const user = await currentUser();
  if (!user) throw new AppError('unauthorized', 'Your session is missing or has expired. Reload the page to continue.');
  // A guest's copy would be one more conversation tied to a browser; an account keeps it everywhere.
  if (user.isAnonymous) throw new AppError('unauthorized', 'Sign up to continue this conversation in a copy of your own.');
  // Each copy writes a conversation's worth of rows: as costly as asking, so limited like chat.
  await enforceRateLimit('chat', user.id);
  const copy = await continueInCopy(token, user.id);
  if (!copy) throw new AppError('not_found', notFoundMessage.sharedConversation);
  return Response.json({ id: copy.conversationId, url: `/c/${copy.conversationId}` }, { status: 201 });
});
