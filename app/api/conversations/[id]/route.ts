import { currentUserId, requireUser } from '@/lib/auth/session';
import { stopAnswerAnywhere } from '@/lib/chat/resumable';
import { deleteConversation, getConversationWithMessages, renameConversation } from '@/lib/db/conversations';
import { toChatMessage } from '@/lib/db/messages';
import { AppError, errorResponse, notFoundMessage } from '@/lib/errors';
import { parseJson, parseParams } from '@/lib/http';
import { paramsSchema, renameSchema } from './schema';

export const runtime = 'nodejs';

type Context = { params: Promise<{ id: string }> };
const notFound = () => new AppError('not_found', notFoundMessage.conversation);

// GET /api/conversations/:id – the caller's conversation with its messages (used to catch up on an answer still being written)
export async function GET(_request: Request, { params }: Context) {
  try {
    const { id } = await parseParams(params, paramsSchema, notFoundMessage.conversation);
    const userId = await currentUserId();
    const conversation = userId ? await getConversationWithMessages(userId, id) : null;
    if (!conversation) throw notFound();
    return Response.json({ id: conversation.id, title: conversation.title, messages: conversation.messages.map(toChatMessage) });
  } catch (error) {
    return errorResponse(error);
  }
}

// PATCH /api/conversations/:id – rename the caller's conversation
export async function PATCH(request: Request, { params }: Context) {
  try {
    const { id } = await parseParams(params, paramsSchema, notFoundMessage.conversation);
    const { title } = await parseJson(request, renameSchema);
    const userId = await requireUser();
    if (!(await renameConversation(userId, id, title))) throw notFound();
    return Response.json({ id, title });
  } catch (error) {
    return errorResponse(error);
  }
}

// DELETE /api/conversations/:id – delete the caller's conversation and its messages (stopping an answer in progress)
export async function DELETE(_request: Request, { params }: Context) {
  try {
    const { id } = await parseParams(params, paramsSchema, notFoundMessage.conversation);
    const userId = await requireUser();
    if (!(await deleteConversation(userId, id))) throw notFound();
    await stopAnswerAnywhere(id);
    return new Response(null, { status: 204 });
  } catch (error) {
    return errorResponse(error);
  }
}
