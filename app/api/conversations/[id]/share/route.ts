import { requireUser } from '@/lib/auth/session';
import { isAnswering } from '@/lib/chat/active';
import { getConversation } from '@/lib/db/conversations';
import { createShareLink } from '@/lib/db/share-links';
import { AppError, notFoundMessage } from '@/lib/errors';
import { parseJson, parseParams, route } from '@/lib/http';
import { expiresAtFor, newShareToken, shareUrl } from '@/lib/share/links';
import { paramsSchema, shareSchema } from './schema';

export const runtime = 'nodejs';

// POST /api/conversations/:id/share – a read-only link to the caller's conversation as it is now
export const POST = route(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await parseParams(params, paramsSchema, notFoundMessage.conversation);
  const userId = await requireUser();
  const { expiresInDays } = await parseJson(request, shareSchema);
  if (!(await getConversation(userId, id))) throw new AppError('not_found', notFoundMessage.conversation);
  // The snapshot is what exists now: a half-written answer would be shared as whatever it ends up being.
  if (isAnswering(id)) throw new AppError('conflict', 'An answer is still being written. Share the conversation once it has finished.');
  const link = await createShareLink({ userId, conversationId: id, token: newShareToken(), expiresAt: expiresAtFor(expiresInDays ?? null) });
  return Response.json(
    { id: link.id, token: link.token, url: shareUrl(link.token), expiresAt: link.expiresAt?.toISOString() ?? null },
    { status: 201 },
  );
});
