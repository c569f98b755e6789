import type { Media, VideoFrame, VideoJob } from '@/lib/generated/prisma/client';
import { mediaUrl } from '@/lib/chat/types';

export interface VideoJobView {
  status: VideoJob['status'];
  stage: string;
  progress: number;
  error: string | null;
  summary: string | null;
}

export interface VideoView {
  id: string;
  filename: string;
  durationMs: number;
  width: number;
  height: number;
  streamUrl: string;
  posterUrl: string;
  job: VideoJobView;
  scenes: { index: number; startMs: number; endMs: number; caption: string | null; thumbUrl: string }[];
}

export const videoFrameUrl = (mediaId: string, index: number) => `/api/videos/${mediaId}/frames/${index}`;

export function jobView(job: VideoJob | null): VideoJobView {
  if (!job) return { status: 'failed', stage: 'probe', progress: 0, error: 'This video was never queued for processing.', summary: null };
  return { status: job.status, stage: job.stage, progress: job.progress, error: job.error, summary: job.summary };
}

/** What the browser gets: everything by our own authorizing URLs, nothing about storage. */
export function videoView(media: Media & { videoJob: VideoJob | null }, frames: VideoFrame[]): VideoView {
  return {
    id: media.id,
    filename: media.filename,
    durationMs: media.durationMs ?? 0,
    width: media.width,
    height: media.height,
    streamUrl: `${mediaUrl(media.id)}?stream=1`,
    posterUrl: mediaUrl(media.id),
    job: jobView(media.videoJob),
    scenes: frames.map((f) => ({ index: f.index, startMs: f.timeMs, endMs: f.endMs, caption: f.caption, thumbUrl: videoFrameUrl(media.id, f.index) })),
  };
}
