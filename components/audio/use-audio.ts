'use client';

import { useProcessedMedia, useSharedMedia } from '@/components/video/use-video';
import { fetchReadonlyView, recordingRoutes, type AudioView } from '@/components/video/video-api';

/** A recording's transcription and transcript, the owner's: followed live while it is transcribed. */
export function useAudio(mediaId: string) {
  const { view, ...rest } = useProcessedMedia(recordingRoutes, mediaId);
  return { audio: view, ...rest };
}

/** A recording shown read-only (shared page, admin console): polled while it is still being transcribed. */
export function useSharedAudio(viewUrl: string) {
  const { view, requestError } = useSharedMedia<AudioView>(fetchReadonlyView, viewUrl);
  return { audio: view, requestError };
}
