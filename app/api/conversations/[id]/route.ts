import { currentUserId, requireUser } from '@/lib/auth/session';
import { stopAnswerAnywhere } from '@/lib/chat/resumable';
import { deleteConversation, getConversationWithMessages, renameConversation } from '@/lib/db/conversations';
import { toChatMessage } from '@/lib/db/messages';
import { AppError, notFoundMessage } from '@/lib/errors';
import { parseJson, parseParams, route } from '@/lib/http';
import { paramsSchema, renameSchema } from './schema';

export const runtime = 'nodejs';

type Context = { params: Promise<{ id: string }> };
const notFound = () => new AppError('not_found', notFoundMessage.conversation);

// GET /api/conversations/:id – the caller's conversation with its messages (used to catch up on an answer still being written)
export const GET = route(async (_request: Request, { params }: Context) => {
  const { id } = await parseParams(params, paramsSchema, notFoundMessage.conversation);
  const userId = await currentUserId();
  const conversation = userId ? await getConversationWithMessages(userId, id) : null;
  if (!conversation) throw notFound();
  return Response.json({ id: conversation.id, title: conversation.title, messages: conversation.messages.map(toChatMessage) });
});

// PATCH /api/conversations/:id – rename the caller's conversation
export const PATCH = route(async (request: Request, { params }: Context) => {
  const { id } = await parseParams(params, paramsSchema, notFoundMessage.conversation);
  const userId = await requireUser();
  const { title } = await parseJson(request, renameSchema);
  if (!(await renameConversation(userId, id, title))) throw notFound();
  return Response.json({ id, title });
});

// DELETE /api/conversations/:id – delete the caller's conversation and its messages (stopping an answer in progress)
export const DELETE = route(async (_request: Request, { params }: Context) => {
  const { id } = await parseParams(params, paramsSchema, notFoundMessage.conversation);
  const userId = await requireUser();
  if (!(await deleteConversation(userId, id))) throw notFound();
  await stopAnswerAnywhere(id);
  return new Response(null, { status: 204 });
});
