import { requireUser } from '@/lib/auth/session';
import { getOwnedMedia } from '@/lib/db/media';
import { createShareLink } from '@/lib/db/share-links';
import { AppError, notFoundMessage } from '@/lib/errors';
import { parseJson, parseParams, route } from '@/lib/http';
import { expiresAtFor, newShareToken, shareUrl } from '@/lib/share/links';
import { mediaParams } from '../schema';
import { shareSchema } from './schema';

export const runtime = 'nodejs';

type Params = { params: Promise<{ id: string }> };

// POST /api/media/:id/share – a read-only link to the analysis of one of the caller's sent videos or recordings, without the rest of its conversation
export const POST = route(async (request: Request, { params }: Params) => {
  const { id } = await parseParams(params, mediaParams, notFoundMessage.recording);
  const userId = await requireUser();
  const { expiresInDays } = await parseJson(request, shareSchema);
  const media = await getOwnedMedia(userId, id);
  if (!media || media.kind === 'image') throw new AppError('not_found', notFoundMessage.recording);
  if (!media.conversationId) throw new AppError('conflict', 'Send it in a conversation first; then its analysis can be shared.');
  const link = await createShareLink({ userId, conversationId: media.conversationId, mediaId: media.id, token: newShareToken(), expiresAt: expiresAtFor(expiresInDays ?? null) });
  return Response.json({ id: link.id, token: link.token, url: shareUrl(link.token), expiresAt: link.expiresAt?.toISOString() ?? null }, { status: 201 });
});
