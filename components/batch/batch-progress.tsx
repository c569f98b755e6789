import type { BatchSummary } from '@/lib/batch/types';
import { formatUsd } from '@/components/ui/format';
import { percentOf } from '@/components/video/job';
import { exportUrl, isTerminal, type BatchAction } from '@/components/batch/batch-api';
import { durationText, etaText, finishedCount, statusLabel, statusPill, throughputText } from '@/components/batch/batch-format';
import { StatusPill } from '@/components/batch/status-pill';
import { buttonClass } from '@/components/batch/styles';

const count = (n: number) => n.toLocaleString('en-US');

/**
 * Where the batch is: status, bar, items per status, pace, cost and cache savings, with the actions
 * its status allows and the exports. `acting` is the action under way, if any.
 */
export function BatchProgress(props: { batch: BatchSummary; reconnecting: boolean; acting: BatchAction | null; actionError: string | null; onAction: (action: BatchAction) => void }) {
  const { batch: b, reconnecting, acting, actionError, onAction } = props;
  const { counts } = b;
  const done = finishedCount(counts);
  const fraction = counts.total ? done / counts.total : 0;
  const active = !isTerminal(b.status);
  const unfinished = counts.pending + counts.running;

  const action = (name: BatchAction, label: string, busyLabel: string) => (
    <button type="button" data-testid={`batch-${name}`} disabled={acting !== null} onClick={() => onAction(name)} className={buttonClass}>
      {acting === name ? busyLabel : label}
    </button>
  );

  return (
    <section data-testid="batch-progress" data-status={b.status} aria-label="Progress" className="flex flex-col gap-3 rounded-2xl border border-zinc-200 p-4 dark:border-zinc-800">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
        {/* The status is announced when it changes; the counts, which change every second, are not. */}
        <span aria-live="polite">
          <StatusPill tone={statusPill[b.status]} testId="batch-status">
            {b.status === 'running' && <span className="size-1.5 animate-pulse rounded-full bg-current" aria-hidden />}
            {statusLabel[b.status]}
          </StatusPill>
        </span>
        {reconnecting && (
          <span role="status" data-testid="batch-reconnecting" className="flex items-center gap-1.5 text-xs text-amber-700 dark:text-amber-400">
            <span className="size-1.5 animate-pulse rounded-full bg-current" aria-hidden />
            Reconnecting…
          </span>
        )}
        <div className="ml-auto flex flex-wrap gap-2">
          {active && action('cancel', 'Cancel', 'Canceling…')}
          {!active && b.status !== 'completed' && unfinished > 0 && action('resume', 'Resume', 'Resuming…')}
          {!active && counts.failed > 0 && action('retry-failed', `Retry ${count(counts.failed)} failed`, 'Retrying…')}
        </div>
      </div>

      <div className="flex flex-col gap-1.5">
        <div className="flex items-baseline justify-between gap-3 text-sm">
          <span data-testid="batch-done" className="font-medium tabular-nums">
            {count(done)} of {count(counts.total)} images done
          </span>
          <span className="tabular-nums text-zinc-500 dark:text-zinc-400">{percentOf(fraction)}%</span>
        </div>
        <OutcomeBar counts={counts} />
      </div>

      <dl className="flex flex-wrap gap-x-5 gap-y-1 text-sm tabular-nums">
        <Fact testId="batch-count-succeeded" label="Succeeded" value={count(counts.succeeded)} tone="text-emerald-700 dark:text-emerald-400" />
        <Fact testId="batch-count-failed" label="Failed" value={count(counts.failed)} tone={counts.failed > 0 ? 'text-red-600 dark:text-red-400' : ''} />
        <Fact testId="batch-count-running" label="In progress" value={count(counts.running)} />
        <Fact testId="batch-count-pending" label="Waiting" value={count(counts.pending)} />
      </dl>

      <dl className="flex flex-wrap gap-x-5 gap-y-1 text-sm tabular-nums">
        {active && b.throughputPerMinute !== null && <Fact testId="batch-throughput" label="Speed" value={throughputText(b.throughputPerMinute)} />}
        {active && (
          <Fact
            testId="batch-eta"
            label="Time left"
            value={b.etaSeconds !== null ? etaText(b.etaSeconds) : b.status === 'queued' ? 'not started yet' : 'estimating…'}
          />
        )}
        {b.status === 'completed' && b.startedAt && b.finishedAt && <Fact testId="batch-duration" label="Took" value={durationText(b.startedAt, b.finishedAt)} />}
        <Fact
          testId="batch-cost"
          label="Cost"
          value={b.costUsd === null ? 'unknown' : formatUsd(b.costUsd)}
          title={b.costUsd === null ? "This model's price is not known, so its cost is not counted" : 'What the model calls have cost so far'}
        />
        {b.cachedCount > 0 && (
          <div title="Same image, prompt and model as an earlier answer: no call was made">
            <dt className="sr-only">Cached</dt>
            <dd data-testid="batch-cached" className="text-emerald-700 dark:text-emerald-400">
              {count(b.cachedCount)} from cache (free)
            </dd>
          </div>
        )}
      </dl>

      {b.status === 'failed' && (
        <p role="alert" data-testid="batch-error" className="rounded-xl border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200">
          {b.error ?? 'The batch stopped.'} {unfinished > 0 && 'Finished images are kept; Resume continues with the rest.'}
        </p>
      )}
      {b.status === 'completed' && counts.failed > 0 && (
        <p data-testid="batch-partial" className="text-sm text-zinc-600 dark:text-zinc-400">
          {counts.succeeded === 0 ? 'Every image failed.' : `${count(counts.failed)} image${counts.failed === 1 ? '' : 's'} failed; the others are done.`} The errors are in the
          table below; Retry asks again for the failed images alone.
        </p>
      )}
      {b.status === 'canceled' && unfinished > 0 && (
        <p data-testid="batch-canceled-note" className="text-sm text-zinc-600 dark:text-zinc-400">
          Canceled with {count(unfinished)} image{unfinished === 1 ? '' : 's'} left. Resume continues with those; finished ones are not asked again.
        </p>
      )}
      {actionError && (
        <p role="alert" data-testid="batch-action-error" className="text-sm text-red-600 dark:text-red-400">
          {actionError}
        </p>
      )}
      <div className="flex flex-wrap items-center gap-2 border-t border-zinc-200 pt-3 dark:border-zinc-800">
        <span className="mr-1 text-sm text-zinc-500 dark:text-zinc-400">Export {done < counts.total ? 'what is done so far' : 'the results'}:</span>
        <ExportLink href={exportUrl(b.id, 'csv')} testId="batch-export-csv" label="CSV" enabled={done > 0} />
        <ExportLink href={exportUrl(b.id, 'json')} testId="batch-export-json" label="JSON" enabled={done > 0} />
      </div>
    </section>
  );
}

function Fact({ label, value, testId, tone = '', title }: { label: string; value: string; testId: string; tone?: string; title?: string }) {
  return (
    <div className="flex items-baseline gap-1.5" title={title}>
      <dt className="text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd data-testid={testId} className={`font-medium ${tone}`}>
        {value}
      </dd>
    </div>
  );
}

/** A download link styled as a button; before anything is finished there is nothing to export. */
function ExportLink({ href, testId, label, enabled }: { href: string; testId: string; label: string; enabled: boolean }) {
  if (!enabled) {
    return (
      <span aria-disabled="true" data-testid={testId} title="Nothing is finished yet" className={`${buttonClass} cursor-not-allowed opacity-50`}>
        {label}
      </span>
    );
  }
  return (
    <a href={href} download data-testid={testId} className={buttonClass}>
      <svg width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
        <path d="M12 4v12m0 0l-4-4m4 4l4-4M4 20h16" />
      </svg>
      {label}
    </a>
  );
}

/** The share of images done, succeeded and failed in their own colours (failures are part of "done"). */
function OutcomeBar({ counts }: { counts: BatchSummary['counts'] }) {
  const share = (n: number) => `${counts.total ? (n / counts.total) * 100 : 0}%`;
  return (
    <div
      role="progressbar"
      aria-label="Batch progress"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percentOf(counts.total ? finishedCount(counts) / counts.total : 0)}
      data-testid="batch-progress-bar"
      className="flex h-1.5 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-700"
    >
      <div className="h-full bg-sky-500 transition-[width] duration-300" style={{ width: share(counts.succeeded) }} />
      <div className="h-full bg-red-500 transition-[width] duration-300" style={{ width: share(counts.failed) }} />
    </div>
  );
}
