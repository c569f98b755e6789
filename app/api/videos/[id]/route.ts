import { requireUser } from '@/lib/auth/session';
import { framesOf, getOwnedVideo } from '@/lib/db/video-jobs';
import { AppError, notFoundMessage } from '@/lib/errors';
import { parseParams, route } from '@/lib/http';
import { loadTranscriptView } from '@/lib/transcripts/load';
import { videoView } from '@/lib/video/view';
import { videoParams } from './schema';

export const runtime = 'nodejs';

type Params = { params: Promise<{ id: string }> };

// GET /api/videos/:id – the caller's video: processing state, the timeline of scenes and the transcript of its sound
export const GET = route(async (_request: Request, { params }: Params) => {
  const { id } = await parseParams(params, videoParams, notFoundMessage.video);
  const userId = await requireUser();
  const media = await getOwnedVideo(userId, id);
  if (!media) throw new AppError('not_found', notFoundMessage.video);
  return Response.json(videoView(media, await framesOf(media.id), await loadTranscriptView(media)), { headers: { 'cache-control': 'no-store' } });
});
