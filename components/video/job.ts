import type { VideoJobView } from '@/lib/video/view';

type VideoJobStatus = VideoJobView['status'];

/** One message of `GET /api/videos/<id>/events`: the job's state and how many scenes have frames so far. */
export interface VideoJobEvent {
  status: VideoJobStatus;
  stage: string;
  progress: number;
  error: string | null;
  scenes: number;
}

export const queuedJob: VideoJobEvent = { status: 'queued', stage: 'probe', progress: 0, error: null, scenes: 0 };

export const isTerminal = (status: VideoJobStatus) => status === 'succeeded' || status === 'failed' || status === 'canceled';

export const isActive = (status: VideoJobStatus) => status === 'queued' || status === 'running';

const stageWords: Record<string, string> = {
  probe: 'Reading video',
  frames: 'Choosing frames',
  captions: 'Describing scenes',
  summary: 'Summarising',
  playback: 'Preparing playback',
  done: 'Done',
};

export function stageLabel(job: { status: VideoJobStatus; stage: string }): string {
  switch (job.status) {
    case 'queued':
      return 'Waiting to start';
    case 'failed':
      return 'Processing failed';
    case 'canceled':
      return 'Processing canceled';
    case 'succeeded':
      return 'Done';
    default:
      return stageWords[job.stage] ?? 'Processing';
  }
}

export const percentOf = (progress: number) => Math.round(Math.min(1, Math.max(0, progress)) * 100);
