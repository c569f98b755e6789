import { currentUserId } from '@/lib/auth/session';
import { listConversations } from '@/lib/db/conversations';
import { errorResponse } from '@/lib/errors';

export const runtime = 'nodejs';

// GET /api/conversations – the caller's conversations, newest first (the sidebar refreshes from this)
export async function GET() {
  try {
    const userId = await currentUserId();
    const conversations = userId ? await listConversations(userId) : [];
    return Response.json({ conversations });
  } catch (error) {
    return errorResponse(error);
  }
}
