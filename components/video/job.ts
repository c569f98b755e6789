import type { VideoJobView } from '@/lib/video/view';

type JobStatus = VideoJobView['status'];

/** What is processed in the background after its upload: a video (timeline) or a recording (transcript). */
export type ProcessedKind = 'video' | 'audio';

/** One message of `GET /api/audio/<id>/events` (and the common part of a video's): the job's state. */
export interface JobEvent {
  status: JobStatus;
  stage: string;
  progress: number;
  error: string | null;
}

/** One message of `GET /api/videos/<id>/events`: the job's state and how many scenes have frames so far. */
export interface VideoJobEvent extends JobEvent {
  scenes: number;
}

export const queuedJob: VideoJobEvent = { status: 'queued', stage: 'probe', progress: 0, error: null, scenes: 0 };

export const isTerminal = (status: JobStatus) => status === 'succeeded' || status === 'failed' || status === 'canceled';

export const isActive = (status: JobStatus) => status === 'queued' || status === 'running';

const stageWords: Record<string, string> = {
  frames: 'Choosing frames',
  captions: 'Describing scenes',
  summary: 'Summarising',
  transcript: 'Transcribing speech',
  playback: 'Preparing playback',
  done: 'Done',
};

const words: Record<ProcessedKind, { probe: string; failed: string; canceled: string }> = {
  video: { probe: 'Reading video', failed: 'Processing failed', canceled: 'Processing canceled' },
  audio: { probe: 'Reading recording', failed: 'Transcription failed', canceled: 'Transcription canceled' },
};

export function stageLabel(job: { status: JobStatus; stage: string }, kind: ProcessedKind = 'video'): string {
  switch (job.status) {
    case 'queued':
      return 'Waiting to start';
    case 'failed':
      return words[kind].failed;
    case 'canceled':
      return words[kind].canceled;
    case 'succeeded':
      return 'Done';
    default:
      return job.stage === 'probe' ? words[kind].probe : (stageWords[job.stage] ?? 'Processing');
  }
}

export const percentOf = (progress: number) => Math.round(Math.min(1, Math.max(0, progress)) * 100);
