import type { AudioView } from '@/components/audio/audio-api';
import { isActive, percentOf, stageLabel } from '@/components/video/job';
import { ProgressBar } from '@/components/video/progress-bar';

const buttonClass =
  'rounded-lg border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 disabled:cursor-not-allowed disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800';

/**
 * Where a recording's transcription is, until its transcript is ready: the video's processing panel
 * in a recording's words. Without handlers (a shared page) it only tells.
 */
export function AudioProcessing(props: { job: AudioView['job']; acting?: boolean; onCancel?: () => void; onRetry?: () => void }) {
  const { job, acting = false, onCancel, onRetry } = props;
  const active = isActive(job.status);
  return (
    <div data-testid="audio-processing" data-status={job.status} data-stage={job.stage} className="flex flex-col gap-2">
      <div className="flex items-baseline justify-between gap-3 text-sm">
        <span data-testid="audio-stage" aria-live="polite" className="font-medium">
          {stageLabel(job, 'audio')}
        </span>
        {active && <span className="tabular-nums text-zinc-500 dark:text-zinc-400">{percentOf(job.progress)}%</span>}
      </div>
      {active && <ProgressBar value={job.progress} label="Transcribing the recording" testId="audio-progress" className="bg-zinc-200 dark:bg-zinc-700" />}
      {job.status === 'failed' && (
        <p role="alert" data-testid="audio-error" className="text-sm text-red-700 dark:text-red-400">
          {job.error ?? 'The recording could not be transcribed.'}
        </p>
      )}
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        {active
          ? onCancel && (
              <button type="button" data-testid="audio-cancel" disabled={acting} onClick={onCancel} className={buttonClass}>
                Cancel
              </button>
            )
          : onRetry && (
              <button type="button" data-testid="audio-retry" disabled={acting} onClick={onRetry} className={buttonClass}>
                Retry
              </button>
            )}
        {active && <span className="text-xs text-zinc-500 dark:text-zinc-400">The transcript appears when the whole recording is transcribed.</span>}
      </div>
    </div>
  );
}
