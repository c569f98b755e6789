'use client';

import type { ReactNode } from 'react';
import type { Attachment } from '@/components/chat/use-attachments';
import { isActive, percentOf, stageLabel, type ProcessedKind } from '@/components/video/job';
import { ProgressBar } from '@/components/video/progress-bar';
import { formatClock } from '@/components/video/timestamps';
import { RemoveAttachmentButton } from '@/components/chat/remove-attachment-button';

type ChipProps = { attachment: Attachment; onRemove: () => void; onRetry: () => void };

/** A staged video in the composer: its upload, then its processing, which must finish before it can be sent. */
export function VideoChip(props: ChipProps) {
  const a = props.attachment;
  const scenes = a.job?.scenes ?? 0;
  return (
    <ProcessingChip {...props} kind="video" ready={`Ready · ${scenes} scene${scenes === 1 ? '' : 's'}`}>
      {a.uploaded ? (
        // eslint-disable-next-line @next/next/no-img-element -- the poster, served by our authorizing route
        <img src={a.uploaded.url} alt={a.filename} className="size-full object-cover" onError={(e) => (e.currentTarget.style.visibility = 'hidden')} />
      ) : (
        a.previewUrl && (
          // Until the poster exists, the local file's first frame (#t= makes Safari show one too).
          <video src={`${a.previewUrl}#t=0.1`} muted playsInline preload="metadata" aria-hidden className="size-full object-cover opacity-60" />
        )
      )}
    </ProcessingChip>
  );
}

/** A staged recording in the composer: its upload, then its transcription, which must finish before it can be sent. */
export function AudioChip(props: ChipProps) {
  const a = props.attachment;
  return (
    <ProcessingChip {...props} kind="audio" ready="Transcript ready">
      {a.uploaded ? (
        // eslint-disable-next-line @next/next/no-img-element -- the waveform, served by our authorizing route
        <img
          src={a.uploaded.url}
          alt={`Waveform of ${a.filename}`}
          data-testid="attachment-waveform"
          className="size-full object-fill px-1 py-4"
          onError={(e) => (e.currentTarget.style.visibility = 'hidden')}
        />
      ) : (
        <div className="flex size-full items-center justify-center text-zinc-400 dark:text-zinc-500" aria-hidden>
          <svg width="28" height="28" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
            <path d="M9 18V5l12-2v13" />
            <circle cx="6" cy="18" r="3" />
            <circle cx="18" cy="16" r="3" />
          </svg>
        </div>
      )}
    </ProcessingChip>
  );
}

const processingWord: Record<ProcessedKind, string> = { video: 'Processing', audio: 'Transcribing' };

/**
 * What a video's and a recording's chips share: the thumbnail box (`children`) with its duration,
 * progress bar and remove button; the name; and one status line (waiting, upload %, stage %, ready,
 * or the error with Retry). Test ids: `attachment-*` for the upload, `<kind>-*` for the processing.
 */
function ProcessingChip(props: ChipProps & { kind: ProcessedKind; ready: string; children: ReactNode }) {
  const { attachment: a, kind, ready, children, onRemove, onRetry } = props;
  const job = a.job;
  const processing = job !== undefined && isActive(job.status);
  const stopped = job?.status === 'failed' || job?.status === 'canceled';
  const durationMs = a.uploaded && 'durationMs' in a.uploaded ? a.uploaded.durationMs : null;

  return (
    <li data-testid="attachment" data-kind={kind} data-state={a.state} data-job-status={job?.status} className="relative w-32">
      <div
        className={`relative h-24 w-32 overflow-hidden rounded-xl border ${kind === 'video' ? 'bg-zinc-900' : 'bg-zinc-100 dark:bg-zinc-800'} ${
          a.state === 'error' || stopped ? 'border-red-400' : 'border-zinc-200 dark:border-zinc-700'
        }`}
      >
        {children}
        {durationMs !== null && (
          <span data-testid="attachment-duration" className="absolute left-1 top-1 flex items-center gap-0.5 rounded bg-black/70 px-1 text-[11px] font-medium tabular-nums text-white">
            {kind === 'video' && (
              <svg width="8" height="8" viewBox="0 0 24 24" fill="currentColor" aria-hidden>
                <path d="M7 4v16l13-8z" />
              </svg>
            )}
            {formatClock(durationMs)}
          </span>
        )}
        {a.state === 'uploading' && (
          <ProgressBar value={a.progress} label={`Uploading ${a.filename}`} testId="attachment-progress" className="absolute inset-x-2 bottom-2 bg-black/30" />
        )}
        {processing && (
          <ProgressBar value={job.progress} label={`${processingWord[kind]} ${a.filename}`} testId={`${kind}-progress`} className="absolute inset-x-2 bottom-2 bg-black/30" />
        )}
        <RemoveAttachmentButton filename={a.filename} onRemove={onRemove} />
      </div>
      <p className="mt-1 truncate text-xs" title={a.filename}>
        {a.filename}
      </p>
      <ChipStatus attachment={a} kind={kind} ready={ready} onRetry={onRetry} />
    </li>
  );
}

function ChipStatus({ attachment: a, kind, ready, onRetry }: { attachment: Attachment; kind: ProcessedKind; ready: string; onRetry: () => void }) {
  const job = a.job;
  if (a.state === 'error') {
    return (
      <p role="alert" data-testid="attachment-error" className="text-xs text-red-600 dark:text-red-400">
        {a.error}
      </p>
    );
  }
  if (a.state === 'waiting' || a.state === 'uploading' || !job) {
    return (
      <p role="status" data-testid="attachment-upload-status" className="text-xs tabular-nums text-zinc-500 dark:text-zinc-400">
        {a.state === 'waiting' ? 'Waiting to upload' : `Uploading ${percentOf(a.progress)}%`}
      </p>
    );
  }
  if (job.status === 'succeeded') {
    return (
      <p role="status" data-testid={`${kind}-stage`} className="text-xs text-emerald-700 dark:text-emerald-400">
        {ready}
      </p>
    );
  }
  if (isActive(job.status)) {
    return (
      <p role="status" data-testid={`${kind}-stage`} className="text-xs tabular-nums text-zinc-500 dark:text-zinc-400">
        {stageLabel(job, kind)} · {percentOf(job.progress)}%
      </p>
    );
  }
  return (
    <div className="text-xs">
      <p role="alert" data-testid={`${kind}-error`} className="text-red-600 dark:text-red-400">
        {job.error ?? stageLabel(job, kind)}
      </p>
      <button
        type="button"
        data-testid={`${kind}-retry`}
        aria-label={`Retry ${a.filename}`}
        onClick={onRetry}
        className="mt-0.5 rounded font-medium text-sky-700 hover:underline focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-sky-400"
      >
        Retry
      </button>
    </div>
  );
}
