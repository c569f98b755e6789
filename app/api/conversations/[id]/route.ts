import { currentUserId, requireUser } from '@/lib/auth/session';
import { deleteConversation, getConversationWithMessages } from '@/lib/db/conversations';
import { toChatMessage } from '@/lib/db/messages';
import { AppError, errorResponse } from '@/lib/errors';

export const runtime = 'nodejs';

type Params = { params: Promise<{ id: string }> };
const notFound = () => new AppError('not_found', 'This conversation does not exist.');

// GET /api/conversations/:id – the caller's conversation with its messages (used to catch up on an answer still being written)
export async function GET(_request: Request, { params }: Params) {
  try {
    const { id } = await params;
    const userId = await currentUserId();
    const conversation = userId ? await getConversationWithMessages(userId, id) : null;
    if (!conversation) throw notFound();
    return Response.json({
      id: conversation.id,
      title: conversation.title,
      messages: conversation.messages.map(toChatMessage),
    });
  } catch (error) {
    return errorResponse(error);
  }
}

// DELETE /api/conversations/:id – delete the caller's conversation and its messages
export async function DELETE(_request: Request, { params }: Params) {
  try {
    const { id } = await params;
    const userId = await requireUser();
    if (!(await deleteConversation(userId, id))) throw notFound();
    return new Response(null, { status: 204 });
  } catch (error) {
    return errorResponse(error);
  }
}
