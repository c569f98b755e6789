'use client';

import { memo, useRef, useState, type KeyboardEvent } from 'react';
import { ProgressBar } from '@/components/video/progress-bar';
import { percentOf } from '@/components/video/job';
import type { BatchFile } from '@/components/batch/use-batch-files';
import { RemoveAttachmentButton } from '@/components/chat/remove-attachment-button';

const linkButton = 'rounded font-medium text-sky-700 hover:underline focus-visible:outline-2 focus-visible:outline-sky-500 disabled:opacity-50 dark:text-sky-400';

const removeButtons = (grid: HTMLElement) => [...grid.querySelectorAll<HTMLButtonElement>('[data-testid="batch-file-remove"]')];

/**
 * The staged images: overall upload progress, then a scrolling grid of thumbnails, each with its own
 * progress or error. Tiles are memoized: one file's progress repaints one tile, not five hundred.
 * The grid is one tab stop, not five hundred: arrow keys move between the tiles' remove buttons,
 * Delete removes the focused image.
 */
export function FileGrid(props: { files: BatchFile[]; disabled: boolean; onRemove: (localIds: string[]) => void; onRetryFailed: () => void }) {
  const { files, disabled, onRemove, onRetryFailed } = props;
  const grid = useRef<HTMLUListElement>(null);
  const [focused, setFocused] = useState(0);
  const tabStop = Math.min(focused, files.length - 1);
  const ready = files.filter((f) => f.state === 'ready').length;
  const failed = files.filter((f) => f.state === 'error');
  const retryable = failed.filter((f) => f.retryable).length;
  const active = files.filter((f) => f.state !== 'error');
  const uploading = active.length - ready;
  const progress = active.length === 0 ? 0 : active.reduce((sum, f) => sum + (f.state === 'ready' ? 1 : f.progress), 0) / active.length;

  function onGridKey(e: KeyboardEvent) {
    const buttons = removeButtons(grid.current!);
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    if (e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault();
      buttons[at].click();
      // The next image takes the focus (the last one's predecessor at the end), once the grid is redrawn.
      requestAnimationFrame(() => removeButtons(grid.current!)[Math.min(at, buttons.length - 2)]?.focus());
      return;
    }
    const perRow = getComputedStyle(grid.current!).gridTemplateColumns.split(' ').length;
    const step: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: perRow, ArrowUp: -perRow, Home: -at, End: buttons.length - 1 - at };
    if (!(e.key in step)) return;
    e.preventDefault();
    const next = Math.min(buttons.length - 1, Math.max(0, at + step[e.key]));
    setFocused(next);
    buttons[next].focus();
  }

  return (
    <section aria-label="Images in this batch" className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
        <p data-testid="batch-files-summary" aria-live="polite" className="tabular-nums">
          <span className="font-medium">
            {ready.toLocaleString('en-US')} image{ready === 1 ? '' : 's'} ready
          </span>
          {uploading > 0 && <span className="text-zinc-500 dark:text-zinc-400"> · uploading {uploading.toLocaleString('en-US')}</span>}
          {failed.length > 0 && <span className="text-red-600 dark:text-red-400"> · {failed.length.toLocaleString('en-US')} refused</span>}
        </p>
        <div className="ml-auto flex items-center gap-3 text-sm">
          {retryable > 0 && (
            <button type="button" data-testid="batch-files-retry" disabled={disabled} onClick={onRetryFailed} className={linkButton}>
              Retry {retryable} upload{retryable === 1 ? '' : 's'}
            </button>
          )}
          {failed.length > 0 && (
            <button type="button" data-testid="batch-files-remove-failed" disabled={disabled} onClick={() => onRemove(failed.map((f) => f.localId))} className={linkButton}>
              Remove refused
            </button>
          )}
          <button type="button" data-testid="batch-files-clear" disabled={disabled} onClick={() => onRemove(files.map((f) => f.localId))} className={linkButton}>
            Remove all
          </button>
        </div>
      </div>
      {uploading > 0 && <ProgressBar value={progress} label="Uploading the images" testId="batch-files-progress" className="bg-zinc-200 dark:bg-zinc-700" />}
      <ul
        ref={grid}
        data-testid="batch-files"
        onKeyDown={onGridKey}
        onFocus={(e) => {
          const at = removeButtons(grid.current!).indexOf(e.target as Element as HTMLButtonElement);
          if (at >= 0) setFocused(at);
        }}
        className="grid max-h-[26rem] grid-cols-[repeat(auto-fill,minmax(5.5rem,1fr))] gap-3 sm:grid-cols-[repeat(auto-fill,minmax(6.5rem,1fr))] overflow-y-auto rounded-xl border border-zinc-200 p-3 dark:border-zinc-800"
      >
        {files.map((f, i) => (
          <FileTile key={f.localId} file={f} tabStop={i === tabStop} onRemove={disabled ? undefined : onRemove} />
        ))}
      </ul>
    </section>
  );
}

const FileTile = memo(function FileTile({ file: f, tabStop, onRemove }: { file: BatchFile; tabStop: boolean; onRemove?: (localIds: string[]) => void }) {
  const pending = f.state === 'waiting' || f.state === 'uploading';
  return (
    <li data-testid="batch-file" data-state={f.state} className="min-w-0">
      <div className={`relative aspect-square overflow-hidden rounded-lg border bg-zinc-100 dark:bg-zinc-800 ${f.state === 'error' ? 'border-red-400' : 'border-zinc-200 dark:border-zinc-700'}`}>
        {/* eslint-disable-next-line @next/next/no-img-element -- a local object URL */}
        <img
          src={f.previewUrl}
          alt=""
          loading="lazy"
          decoding="async"
          className={`size-full object-cover ${pending ? 'opacity-60' : ''}`}
          onError={(e) => (e.currentTarget.style.visibility = 'hidden')}
        />
        {f.state === 'error' && (
          <svg width="28" height="28" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.5" className="absolute inset-0 m-auto text-red-400" aria-hidden>
            <circle cx="12" cy="12" r="9" />
            <path d="M12 7.5v5.5M12 16.5v.01" strokeLinecap="round" />
          </svg>
        )}
        {f.state === 'uploading' && <ProgressBar value={f.progress} label={`Uploading ${f.filename}`} testId="batch-file-progress" className="absolute inset-x-2 bottom-2 bg-black/30" />}
        {onRemove && <RemoveAttachmentButton filename={f.filename} testId="batch-file-remove" tabIndex={tabStop ? 0 : -1} onRemove={() => onRemove([f.localId])} />}
      </div>
      <p className="mt-1 truncate text-xs" title={f.filename}>
        {f.filename}
      </p>
      {f.state === 'error' ? (
        <p role="alert" data-testid="batch-file-error" title={f.error} className="line-clamp-3 text-xs text-red-600 dark:text-red-400">
          {f.error}
        </p>
      ) : (
        <p data-testid="batch-file-status" className="text-xs tabular-nums text-zinc-500 dark:text-zinc-400">
          {f.state === 'ready' && f.uploaded ? `${f.uploaded.width}×${f.uploaded.height}` : f.state === 'waiting' ? 'Waiting' : `${percentOf(f.progress)}%`}
        </p>
      )}
    </li>
  );
});
