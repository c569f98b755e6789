import { framesOf, getOwnedVideo } from '@/lib/db/video-jobs';
import { AppError, notFoundMessage } from '@/lib/errors';
import { loadTranscriptView } from '@/lib/transcripts/load';
import { videoView, type VideoView } from '@/lib/video/view';

/** For the owner's routes: acts on the caller's own video, and returns it as the browser shows it next. */
export async function actOnOwnedVideo(userId: string, mediaId: string, act: (mediaId: string) => Promise<void>): Promise<VideoView> {
  if (!(await getOwnedVideo(userId, mediaId))) throw new AppError('not_found', notFoundMessage.video);
  await act(mediaId);
  const media = (await getOwnedVideo(userId, mediaId))!;
  return videoView(media, await framesOf(mediaId), await loadTranscriptView(media));
}
