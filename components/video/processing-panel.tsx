import { isActive, percentOf, stageLabel } from '@/components/video/job';
import { ProgressBar } from '@/components/video/progress-bar';
import type { VideoView } from '@/components/video/video-api';

const buttonClass =
  'rounded-lg border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 disabled:cursor-not-allowed disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800';

/** Where a video's processing is, until its timeline is ready. Without handlers (a shared page) it only tells. */
export function ProcessingPanel(props: { job: VideoView['job']; acting?: boolean; onCancel?: () => void; onRetry?: () => void }) {
  const { job, acting = false, onCancel, onRetry } = props;
  const active = isActive(job.status);
  return (
    <div data-testid="video-processing" data-status={job.status} className="flex flex-col gap-2">
      <div className="flex items-baseline justify-between gap-3 text-sm">
        <span data-testid="video-stage" aria-live="polite" className="font-medium">
          {stageLabel(job)}
        </span>
        {active && <span className="tabular-nums text-zinc-500 dark:text-zinc-400">{percentOf(job.progress)}%</span>}
      </div>
      {active && <ProgressBar value={job.progress} label="Processing the video" testId="video-progress" className="bg-zinc-200 dark:bg-zinc-700" />}
      {job.status === 'failed' && (
        <p role="alert" data-testid="video-error" className="text-sm text-red-700 dark:text-red-400">
          {job.error ?? 'The video could not be processed.'}
        </p>
      )}
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        {active
          ? onCancel && (
              <button type="button" data-testid="video-cancel" disabled={acting} onClick={onCancel} className={buttonClass}>
                Cancel
              </button>
            )
          : onRetry && (
              <button type="button" data-testid="video-retry" disabled={acting} onClick={onRetry} className={buttonClass}>
                Retry
              </button>
            )}
        {active && <span className="text-xs text-zinc-500 dark:text-zinc-400">The timeline appears when every scene is described.</span>}
      </div>
    </div>
  );
}
