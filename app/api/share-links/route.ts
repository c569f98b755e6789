import { currentUserId } from '@/lib/auth/session';
import { listShareLinks } from '@/lib/db/share-links';
import { route } from '@/lib/http';

export const runtime = 'nodejs';

// GET /api/share-links – the caller's share links, newest first, revoked and expired ones included
export const GET = route(async () => {
  const userId = await currentUserId();
  const links = userId ? await listShareLinks(userId) : [];
  return Response.json({ links });
});
