import { currentUserId } from '@/lib/auth/session';
import { listShareLinks } from '@/lib/db/share-links';
import { errorResponse } from '@/lib/errors';

export const runtime = 'nodejs';

// GET /api/share-links – the caller's share links, newest first, revoked and expired ones included
export async function GET() {
  try {
    const userId = await currentUserId();
    const links = userId ? await listShareLinks(userId) : [];
    return Response.json({ links });
  } catch (error) {
    return errorResponse(error);
  }
}
