import type { Media, VideoFrame, VideoJob } from '@/lib/generated/prisma/client';
import { mediaUrl } from '@/lib/chat/types';
import { PROCESSING_RETRIES } from '@/lib/jobs/retries';
import { speechPerScene } from '@/lib/transcripts/align';
import { transcriptDownloadUrl, translationsUrl, type TranscriptView } from '@/lib/transcripts/view';

export interface VideoJobView {
  status: VideoJob['status'];
  stage: string;
  progress: number;
  error: string | null;
  summary: string | null;
  /** Which retry the job is on (0: its first try) of `retries`. */
  retry: number;
  retries: number;
}

export interface VideoView {
  id: string;
  filename: string;
  durationMs: number;
  width: number;
  height: number;
  /** Null on a shared page until the metadata-free playback copy exists: viewers never get the original. */
  streamUrl: string | null;
  posterUrl: string;
  job: VideoJobView;
  /** `speech`: what is said during the scene, once the sound is transcribed (null when nothing is). */
  scenes: { index: number; startMs: number; endMs: number; caption: string | null; speech: string | null; thumbUrl: string }[];
  /** What is said in it, once its sound is transcribed (null without sound or a transcription model). */
  transcript: TranscriptView | null;
  /** `?format=txt|srt|vtt[&translation=<id>]` downloads the transcript or a translation. */
  transcriptUrl: string;
  /** POST `{ language }` streams a new translation; null where translating is not allowed (a shared page). */
  translationsUrl: string | null;
}

/** Where a video's parts are fetched from: each URL authorizes on its own (the session, or a share link). */
export interface VideoUrls {
  stream: string | null;
  poster: string;
  frame: (index: number) => string;
  transcript: string;
  translations: string | null;
}

export const videoFrameUrl = (mediaId: string, index: number) => `/api/videos/${mediaId}/frames/${index}`;

/** The owner's URLs: all under /api, checked against the session. */
export const ownVideoUrls = (mediaId: string): VideoUrls => ({
  stream: `${mediaUrl(mediaId)}?stream=1`,
  poster: mediaUrl(mediaId),
  frame: (index) => videoFrameUrl(mediaId, index),
  transcript: transcriptDownloadUrl(mediaId),
  translations: translationsUrl(mediaId),
});

/** A shared video's view and its scene thumbnails go through the link, like its poster (/share/<token>/media/<id>). */
export const sharedVideoUrl = (token: string, mediaId: string) => `/share/${token}/videos/${mediaId}`;
export const sharedVideoFrameUrl = (token: string, mediaId: string, index: number) => `${sharedVideoUrl(token, mediaId)}/frames/${index}`;

export function jobView(job: VideoJob | null): VideoJobView {
  if (!job) return { status: 'failed', stage: 'probe', progress: 0, error: 'This upload was never queued for processing.', summary: null, retry: 0, retries: PROCESSING_RETRIES };
  return { status: job.status, stage: job.stage, progress: job.progress, error: job.error, summary: job.summary, retry: job.retry, retries: PROCESSING_RETRIES };
}

/** What the browser gets: everything by our own authorizing URLs, nothing about storage. */
export function videoView(
  media: Media & { videoJob: VideoJob | null },
  frames: VideoFrame[],
  transcript: TranscriptView | null,
  urls: VideoUrls = ownVideoUrls(media.id),
): VideoView {
  const speech = transcript ? speechPerScene(frames.map((f) => ({ startMs: f.timeMs, endMs: f.endMs })), transcript.segments) : [];
  return {
    id: media.id,
    filename: media.filename,
    durationMs: media.durationMs ?? 0,
    width: media.width,
    height: media.height,
    streamUrl: urls.stream,
    posterUrl: urls.poster,
    job: jobView(media.videoJob),
    scenes: frames.map((f, i) => ({ index: f.index, startMs: f.timeMs, endMs: f.endMs, caption: f.caption, speech: speech[i] || null, thumbUrl: urls.frame(f.index) })),
    transcript,
    transcriptUrl: urls.transcript,
    translationsUrl: urls.translations,
  };
}
