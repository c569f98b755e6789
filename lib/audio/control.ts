import { audioView, type AudioView } from '@/lib/audio/view';
import { getOwnedAudio } from '@/lib/db/video-jobs';
import { AppError, notFoundMessage } from '@/lib/errors';
import { loadTranscriptView } from '@/lib/transcripts/load';

/** The caller's own recording as the browser shows it; not found for anyone else's. */
export async function ownedAudioView(userId: string, mediaId: string): Promise<AudioView> {
  const media = await getOwnedAudio(userId, mediaId);
  if (!media) throw new AppError('not_found', notFoundMessage.recording);
  return audioView(media, await loadTranscriptView(media));
}

/** For the owner's routes: acts on the caller's own recording, and returns it as the browser shows it next. */
export async function actOnOwnedAudio(userId: string, mediaId: string, act: (mediaId: string) => Promise<void>): Promise<AudioView> {
  if (!(await getOwnedAudio(userId, mediaId))) throw new AppError('not_found', notFoundMessage.recording);
  await act(mediaId);
  return ownedAudioView(userId, mediaId);
}
