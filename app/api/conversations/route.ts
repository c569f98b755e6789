import { currentUserId } from '@/lib/auth/session';
import { listConversations } from '@/lib/db/conversations';
import { route } from '@/lib/http';

export const runtime = 'nodejs';

// GET /api/conversations – the caller's conversations, newest first (the sidebar refreshes from this)
export const GET = route(async () => {
  const userId = await currentUserId();
  const conversations = userId ? await listConversations(userId) : [];
  return Response.json({ conversations });
});
