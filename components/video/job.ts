import type { VideoJobView } from '@/lib/video/view';

type JobStatus = VideoJobView['status'];

/** What is processed in the background after its upload: a video (timeline) or a recording (transcript). */
export type ProcessedKind = 'video' | 'audio';

/** One message of `GET /api/audio/<id>/events` (and the common part of a video's): the job's state. */
export interface JobEvent {
  status: JobStatus;
  stage: string;
  progress: number;
  /** Why the job failed, or why the last attempt did while a retry waits. */
  error: string | null;
  /** Which retry the job is on (0: its first try) of `retries`. */
  retry: number;
  retries: number;
}

/** One message of `GET /api/videos/<id>/events`: the job's state and how many scenes have frames so far. */
export interface VideoJobEvent extends JobEvent {
  scenes: number;
}

export const queuedJob: VideoJobEvent = { status: 'queued', stage: 'probe', progress: 0, error: null, retry: 0, retries: 0, scenes: 0 };

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

/** A retry says so ("retrying 2/3") rather than looking like a restart from the beginning. */
export function stageLabel(job: { status: JobStatus; stage: string; error?: string | null; retry?: number; retries?: number }, kind: ProcessedKind = 'video'): string {
  const retry = job.retry ?? 0;
  switch (job.status) {
    case 'queued':
      // A failed attempt leaves its error while the queue waits to try again.
      return job.error ? `Retrying ${retry + 1}/${job.retries} soon` : 'Waiting to start';
    case 'failed':
      return words[kind].failed;
    case 'canceled':
      return words[kind].canceled;
    case 'succeeded':
      return 'Done';
    default: {
      const stage = job.stage === 'probe' ? words[kind].probe : (stageWords[job.stage] ?? 'Processing');
      return retry > 0 ? `${stage} · retrying ${retry}/${job.retries}` : stage;
    }
  }
}

export const percentOf = (progress: number) => Math.round(Math.min(1, Math.max(0, progress)) * 100);
