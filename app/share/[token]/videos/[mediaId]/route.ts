import { getSharedVideo } from '@/lib/db/share-links';
import { AppError, notFoundMessage } from '@/lib/errors';
import { parseParams, route } from '@/lib/http';
import { shareMediaUrl } from '@/lib/share/links';
import { loadTranscriptView } from '@/lib/transcripts/load';
import { sharedTranscriptUrl } from '@/lib/transcripts/view';
import { sharedVideoFrameUrl, videoView } from '@/lib/video/view';
import { sharedVideoParams } from './schema';

export const runtime = 'nodejs';

type Params = { params: Promise<{ token: string; mediaId: string }> };

// GET /share/:token/videos/:mediaId – a shared video's processing state, summary, timeline and transcript, while its link is live
export const GET = route(async (_request: Request, { params }: Params) => {
  const { token, mediaId } = await parseParams(params, sharedVideoParams, notFoundMessage.video);
  // No session involved: the token is the permission. Unknown, revoked or expired links, and videos
  // outside the snapshot, are all the same 404.
  const shared = await getSharedVideo(token, mediaId);
  if (!shared) throw new AppError('not_found', notFoundMessage.video);
  const view = videoView(shared.media, shared.frames, await loadTranscriptView(shared.media), {
    // Only the playback copy, never the original: a phone video's original carries where it was
    // filmed, just as a photo's GPS does; the copy has no metadata (see makePlaybackCopy). Until the
    // copy exists viewers get the poster and the scene frames (ffmpeg JPEGs, no metadata) only.
    stream: shared.media.playbackKey ? `${shareMediaUrl(token, mediaId)}?stream=1` : null,
    poster: shareMediaUrl(token, mediaId),
    frame: (index) => sharedVideoFrameUrl(token, mediaId, index),
    transcript: sharedTranscriptUrl(token, mediaId),
    translations: null,
  });
  return Response.json(view, { headers: { 'cache-control': 'private, no-store' } });
});
