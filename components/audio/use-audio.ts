'use client';

import { fetchSharedAudio } from '@/components/audio/audio-api';
import { useProcessedMedia, useSharedMedia } from '@/components/video/use-video';
import { recordingRoutes } from '@/components/video/video-api';

/** A recording's transcription and transcript, the owner's: followed live while it is transcribed. */
export function useAudio(mediaId: string) {
  const { view, ...rest } = useProcessedMedia(recordingRoutes, mediaId);
  return { audio: view, ...rest };
}

/** A shared recording, read-only: polled while it is still being transcribed. */
export function useSharedAudio(token: string, mediaId: string) {
  const { view, requestError } = useSharedMedia(fetchSharedAudio, token, mediaId);
  return { audio: view, requestError };
}
