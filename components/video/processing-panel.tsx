import { isActive, percentOf, stageLabel, type ProcessedKind } from '@/components/video/job';
import { ProgressBar } from '@/components/video/progress-bar';
import type { VideoView } from '@/components/video/video-api';

const buttonClass =
  'rounded-lg border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 disabled:cursor-not-allowed disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800';

/** What each kind's panel says and how tests find it (`video-stage`, `audio-stage`…). */
const wording: Record<ProcessedKind, { barLabel: string; failed: string; waitNote: string }> = {
  video: { barLabel: 'Processing the video', failed: 'The video could not be processed.', waitNote: 'The timeline appears when every scene is described.' },
  audio: { barLabel: 'Transcribing the recording', failed: 'The recording could not be transcribed.', waitNote: 'The transcript appears when the whole recording is transcribed.' },
};

/**
 * Where a video's processing or a recording's transcription is, until its timeline or transcript is
 * ready. Without handlers (a shared page) it only tells.
 */
export function ProcessingPanel(props: { job: VideoView['job']; kind?: ProcessedKind; acting?: boolean; onCancel?: () => void; onRetry?: () => void }) {
  const { job, kind = 'video', acting = false, onCancel, onRetry } = props;
  const words = wording[kind];
  const active = isActive(job.status);
  return (
    <div data-testid={`${kind}-processing`} data-status={job.status} data-stage={job.stage} className="flex flex-col gap-2">
      <div className="flex items-baseline justify-between gap-3 text-sm">
        <span data-testid={`${kind}-stage`} aria-live="polite" className="font-medium">
          {stageLabel(job, kind)}
        </span>
        {active && <span className="tabular-nums text-zinc-500 dark:text-zinc-400">{percentOf(job.progress)}%</span>}
      </div>
      {active && <ProgressBar value={job.progress} label={words.barLabel} testId={`${kind}-progress`} className="bg-zinc-200 dark:bg-zinc-700" />}
      {active && job.error && (
        <p data-testid={`${kind}-retry-cause`} className="text-xs text-amber-700 dark:text-amber-400">
          {job.error}
        </p>
      )}
      {job.status === 'failed' && (
        <p role="alert" data-testid={`${kind}-error`} className="text-sm text-red-700 dark:text-red-400">
          {job.error ?? words.failed}
        </p>
      )}
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        {active
          ? onCancel && (
              <button type="button" data-testid={`${kind}-cancel`} disabled={acting} onClick={onCancel} className={buttonClass}>
                Cancel
              </button>
            )
          : onRetry && (
              <button type="button" data-testid={`${kind}-retry`} disabled={acting} onClick={onRetry} className={buttonClass}>
                Retry
              </button>
            )}
        {active && <span className="text-xs text-zinc-500 dark:text-zinc-400">{words.waitNote}</span>}
      </div>
    </div>
  );
}
