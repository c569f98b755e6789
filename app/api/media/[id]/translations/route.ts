import { enforceRateLimit } from '@/lib/auth/rate-limit';
import { requireCaller } from '@/lib/auth/session';
import { getOwnedMedia } from '@/lib/db/media';
import { AppError, notFoundMessage } from '@/lib/errors';
import { parseJson, parseParams, route } from '@/lib/http';
import { streamTranslation } from '@/lib/transcripts/translate';
import { mediaParams } from '../schema';
import { translationRequest } from './schema';

export const runtime = 'nodejs';
// Hours of speech take many model calls.
export const maxDuration = 900;

type Params = { params: Promise<{ id: string }> };

// POST /api/media/:id/translations – translate the transcript of the caller's recording or video; streams NDJSON segment by segment
export const POST = route(async (request: Request, { params }: Params) => {
  const { id } = await parseParams(params, mediaParams, notFoundMessage.recording);
  const caller = await requireCaller();
  await enforceRateLimit('chat', caller.id);
  const { language } = await parseJson(request, translationRequest);
  const media = await getOwnedMedia(caller.id, id);
  if (!media || media.kind === 'image') throw new AppError('not_found', notFoundMessage.recording);
  const stream = await streamTranslation(caller, media, language, request.signal);
  return new Response(stream, { headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' } });
});
