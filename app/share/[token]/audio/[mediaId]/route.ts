import { audioView } from '@/lib/audio/view';
import { getSharedAudio } from '@/lib/db/share-links';
import { AppError, notFoundMessage } from '@/lib/errors';
import { parseParams, route } from '@/lib/http';
import { shareMediaUrl } from '@/lib/share/links';
import { loadTranscriptView } from '@/lib/transcripts/load';
import { sharedTranscriptUrl } from '@/lib/transcripts/view';
import { sharedAudioParams } from './schema';

export const runtime = 'nodejs';

type Params = { params: Promise<{ token: string; mediaId: string }> };

// GET /share/:token/audio/:mediaId – a shared recording's state, transcript and translations, while its link is live
export const GET = route(async (_request: Request, { params }: Params) => {
  const { token, mediaId } = await parseParams(params, sharedAudioParams, notFoundMessage.recording);
  // No session involved: the token is the permission. Dead links and recordings outside the snapshot are the same 404.
  const media = await getSharedAudio(token, mediaId);
  if (!media) throw new AppError('not_found', notFoundMessage.recording);
  const view = audioView(media, await loadTranscriptView(media), {
    // The playback copy only: the original's tags may name its owner or where it was recorded.
    stream: media.playbackKey ? `${shareMediaUrl(token, mediaId)}?stream=1` : null,
    waveform: shareMediaUrl(token, mediaId),
    transcript: sharedTranscriptUrl(token, mediaId),
    translations: null,
  });
  return Response.json(view, { headers: { 'cache-control': 'private, no-store' } });
});
