'use client';

import type { Attachment } from '@/components/chat/use-attachments';
import { isActive, percentOf, stageLabel } from '@/components/video/job';
import { ProgressBar } from '@/components/video/progress-bar';
import { formatClock } from '@/components/video/timestamps';
import { RemoveAttachmentButton } from '@/components/chat/remove-attachment-button';

/** A staged video in the composer: its upload, then its processing, which must finish before it can be sent. */
export function VideoChip(props: { attachment: Attachment; onRemove: () => void; onRetry: () => void }) {
  const { attachment: a, onRemove, onRetry } = props;
  const job = a.job;
  const processing = job !== undefined && isActive(job.status);
  const stopped = job?.status === 'failed' || job?.status === 'canceled';
  const durationMs = a.uploaded && 'durationMs' in a.uploaded ? a.uploaded.durationMs : null;

  return (
    <li data-testid="attachment" data-kind="video" data-state={a.state} data-job-status={job?.status} className="relative w-32">
      <div className={`relative h-24 w-32 overflow-hidden rounded-xl border bg-zinc-900 ${a.state === 'error' || stopped ? 'border-red-400' : 'border-zinc-200 dark:border-zinc-700'}`}>
        {a.uploaded ? (
          // eslint-disable-next-line @next/next/no-img-element -- the poster, served by our authorizing route
          <img src={a.uploaded.url} alt={a.filename} className="size-full object-cover" onError={(e) => (e.currentTarget.style.visibility = 'hidden')} />
        ) : (
          // Until the poster exists, the local file's first frame (#t= makes Safari show one too).
          <video src={`${a.previewUrl}#t=0.1`} muted playsInline preload="metadata" aria-hidden className="size-full object-cover opacity-60" />
        )}
        {durationMs !== null && (
          <span data-testid="attachment-duration" className="absolute left-1 top-1 flex items-center gap-0.5 rounded bg-black/70 px-1 text-[11px] font-medium tabular-nums text-white">
            <svg width="8" height="8" viewBox="0 0 24 24" fill="currentColor" aria-hidden>
              <path d="M7 4v16l13-8z" />
            </svg>
            {formatClock(durationMs)}
          </span>
        )}
        {a.state === 'uploading' && (
          <ProgressBar value={a.progress} label={`Uploading ${a.filename}`} testId="attachment-progress" className="absolute inset-x-2 bottom-2 bg-black/30" />
        )}
        {processing && (
          <ProgressBar value={job.progress} label={`Processing ${a.filename}`} testId="video-progress" className="absolute inset-x-2 bottom-2 bg-black/30" />
        )}
        <RemoveAttachmentButton filename={a.filename} onRemove={onRemove} />
      </div>
      <p className="mt-1 truncate text-xs" title={a.filename}>
        {a.filename}
      </p>
      <ChipStatus attachment={a} onRetry={onRetry} />
    </li>
  );
}

function ChipStatus({ attachment: a, onRetry }: { attachment: Attachment; onRetry: () => void }) {
  const job = a.job;
  if (a.state === 'error') {
    return (
      <p data-testid="attachment-error" className="text-xs text-red-600 dark:text-red-400">
        {a.error}
      </p>
    );
  }
  if (a.state === 'uploading' || !job) return <p className="text-xs tabular-nums text-zinc-500">Uploading {percentOf(a.progress)}%</p>;
  if (job.status === 'succeeded') {
    return (
      <p data-testid="video-stage" className="text-xs text-emerald-700 dark:text-emerald-400">
        Ready · {job.scenes} scene{job.scenes === 1 ? '' : 's'}
      </p>
    );
  }
  if (isActive(job.status)) {
    return (
      <p data-testid="video-stage" aria-live="polite" className="text-xs tabular-nums text-zinc-500 dark:text-zinc-400">
        {stageLabel(job)} · {percentOf(job.progress)}%
      </p>
    );
  }
  return (
    <div className="text-xs">
      <p data-testid="video-error" className="text-red-600 dark:text-red-400">
        {job.error ?? stageLabel(job)}
      </p>
      <button type="button" data-testid="video-retry" onClick={onRetry} className="mt-0.5 font-medium text-sky-700 hover:underline dark:text-sky-400">
        Retry
      </button>
    </div>
  );
}
