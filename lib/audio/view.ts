import type { Media, VideoJob } from '@/lib/generated/prisma/client';
import { mediaUrl } from '@/lib/chat/types';
import { transcriptDownloadUrl, translationsUrl, type TranscriptView } from '@/lib/transcripts/view';
import { jobView, type VideoJobView } from '@/lib/video/view';

export interface AudioView {
  id: string;
  filename: string;
  durationMs: number;
  /** Null on a shared page until the metadata-free playback copy exists: listeners never get the original. */
  streamUrl: string | null;
  /** The recording's waveform picture. */
  waveformUrl: string;
  job: VideoJobView;
  transcript: TranscriptView | null;
  /** `?format=txt|srt|vtt[&translation=<id>]` downloads the transcript or a translation. */
  transcriptUrl: string;
  /** POST `{ language }` streams a new translation; null where translating is not allowed (a shared page). */
  translationsUrl: string | null;
}

/** Where a recording's parts are fetched from: each URL authorizes on its own (the session, or a share link). */
export interface AudioUrls {
  stream: string | null;
  waveform: string;
  transcript: string;
  translations: string | null;
}

/** A shared recording's view goes through the link, like its waveform and stream. */
export const sharedAudioUrl = (token: string, mediaId: string) => `/share/${token}/audio/${mediaId}`;

export const ownAudioUrls = (mediaId: string): AudioUrls => ({
  stream: `${mediaUrl(mediaId)}?stream=1`,
  waveform: mediaUrl(mediaId),
  transcript: transcriptDownloadUrl(mediaId),
  translations: translationsUrl(mediaId),
});

export function audioView(media: Media & { videoJob: VideoJob | null }, transcript: TranscriptView | null, urls: AudioUrls = ownAudioUrls(media.id)): AudioView {
  return {
    id: media.id,
    filename: media.filename,
    durationMs: media.durationMs ?? 0,
    streamUrl: urls.stream,
    waveformUrl: urls.waveform,
    job: jobView(media.videoJob),
    transcript,
    transcriptUrl: urls.transcript,
    translationsUrl: urls.translations,
  };
}
