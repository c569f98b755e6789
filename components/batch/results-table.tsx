'use client';

import { memo, useCallback, useMemo, useState, type CSSProperties, type KeyboardEvent } from 'react';
import type { BatchColumn, BatchItemStatus, BatchItemView } from '@/lib/batch/types';
import { formatMs, formatUsd } from '@/components/ui/format';
import { pillStyle, valueText } from '@/components/batch/batch-format';
import { StatusPill } from '@/components/batch/status-pill';

const itemStatus: Record<BatchItemStatus, { label: string; tone: keyof typeof pillStyle }> = {
  pending: { label: 'Waiting', tone: 'neutral' },
  running: { label: 'In progress', tone: 'active' },
  succeeded: { label: 'Done', tone: 'good' },
  failed: { label: 'Failed', tone: 'bad' },
};

/** Answers longer than this (or on several lines) are clamped, with a toggle to read them whole. */
const LONG_ANSWER_CHARS = 160;

const wide = (c: BatchColumn) => c.type === 'text' || c.type === 'list';

/**
 * Column widths from `sm` up: the image, file and status first, then the answer or one track per
 * column, then the cost; narrower screens scroll the table sideways. Set as CSS variables, since a
 * phone lays each row out as a card instead.
 */
function layout(columns: BatchColumn[]): CSSProperties {
  const content = columns.length === 0 ? ['minmax(18rem,1fr)'] : columns.map((c) => (wide(c) ? 'minmax(10rem,1.5fr)' : 'minmax(6rem,0.7fr)'));
  const contentRem = columns.length === 0 ? 18 : columns.reduce((sum, c) => sum + (wide(c) ? 10 : 6), 0);
  const minRem = 3 + 9 + 6.5 + 6 + contentRem + (content.length + 3) * 0.75 + 1.5;
  return { '--cols': ['3rem', 'minmax(9rem,14rem)', '6.5rem', ...content, '6rem'].join(' '), '--min-w': `${minRem}rem`, '--span': content.length } as CSSProperties;
}

/** A row's grid: a card on a phone (image, file, status; then each value on its own line), the table's tracks from `sm`. */
const rowGrid = 'grid grid-cols-[2.5rem_minmax(0,1fr)_auto] gap-x-3 gap-y-1 sm:min-w-(--min-w) sm:grid-cols-(--cols) sm:gap-y-0';

type Filter = 'all' | 'failed';

/**
 * One row per image, in the batch's order: thumbnail, file, status, the answer (or a cell per column)
 * and the cost. A grid rather than a <table>, so rows can skip layout and paint while off screen
 * (content-visibility); rows are memoized, so an event that changes three items redraws three rows.
 */
export function ResultsTable({ items, columns }: { items: BatchItemView[]; columns: BatchColumn[] }) {
  const [filter, setFilter] = useState<Filter>('all');
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const toggle = useCallback(
    (id: string) =>
      setExpanded((old) => {
        const next = new Set(old);
        if (!next.delete(id)) next.add(id);
        return next;
      }),
    [],
  );
  const failed = items.filter((i) => i.status === 'failed');
  const shown = filter === 'failed' ? failed : items;
  // Each event brings the batch's columns anew, the same as before: rows are kept by what they say,
  // not by the array's identity, or every event would redraw every row.
  const shape = columns.map((c) => `${c.name}:${c.type}`).join('|');
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed on the columns' content
  const { style, stableColumns } = useMemo(() => ({ style: layout(columns), stableColumns: columns }), [shape]);

  const tabs: { id: Filter; label: string; n: number }[] = [
    { id: 'all', label: 'All', n: items.length },
    { id: 'failed', label: 'Failed', n: failed.length },
  ];
  function onTabKey(e: KeyboardEvent) {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    const next = filter === 'all' ? 'failed' : 'all';
    setFilter(next);
    document.getElementById(`batch-tab-${next}`)?.focus();
  }

  return (
    <section aria-label="Results" className="flex flex-col gap-3">
      <div role="tablist" aria-label="Show" className="flex gap-1 border-b border-zinc-200 dark:border-zinc-800" onKeyDown={onTabKey}>
        {tabs.map((t) => (
          <button
            key={t.id}
            id={`batch-tab-${t.id}`}
            type="button"
            role="tab"
            data-testid={`batch-filter-${t.id}`}
            aria-selected={filter === t.id}
            aria-controls="batch-results"
            tabIndex={filter === t.id ? 0 : -1}
            onClick={() => setFilter(t.id)}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 ${
              filter === t.id ? 'border-sky-600 text-zinc-900 dark:text-zinc-100' : 'border-transparent text-zinc-500 hover:text-zinc-800 dark:text-zinc-400 dark:hover:text-zinc-200'
            }`}
          >
            {t.label} <span className="tabular-nums text-zinc-500 dark:text-zinc-400">{t.n.toLocaleString('en-US')}</span>
          </button>
        ))}
      </div>
      {shown.length === 0 ? (
        <p data-testid="batch-results-empty" className="py-6 text-center text-sm text-zinc-500 dark:text-zinc-400">
          {filter === 'failed' ? 'No image failed.' : 'No images in this batch.'}
        </p>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-zinc-200 dark:border-zinc-800">
          <div id="batch-results" role="table" data-testid="batch-results" aria-rowcount={shown.length + 1} className="text-sm">
            <div role="rowgroup">
              <div role="row" style={style} className={`${rowGrid} hidden border-b border-zinc-200 bg-zinc-50 px-3 py-2 text-xs font-medium text-zinc-500 sm:grid dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400`}>
                <span role="columnheader" className="sr-only">
                  Image
                </span>
                <span role="columnheader" className="col-start-2">
                  File
                </span>
                <span role="columnheader">Status</span>
                {columns.length === 0 ? (
                  <span role="columnheader">Answer</span>
                ) : (
                  columns.map((c) => (
                    <span key={c.name} role="columnheader" title={c.description} data-testid="batch-column-header" className={`truncate ${c.type === 'number' ? 'text-right' : ''}`}>
                      {c.name}
                    </span>
                  ))
                )}
                <span role="columnheader" className="text-right">
                  Cost
                </span>
              </div>
            </div>
            <div role="rowgroup" className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {shown.map((item) => (
                <ResultRow key={item.id} item={item} columns={stableColumns} style={style} expanded={expanded.has(item.id)} onToggle={toggle} />
              ))}
            </div>
          </div>
        </div>
      )}
    </section>
  );
}

const ResultRow = memo(function ResultRow(props: {
  item: BatchItemView;
  columns: BatchColumn[];
  style: CSSProperties;
  expanded: boolean;
  onToggle: (id: string) => void;
}) {
  const { item, columns, style, expanded, onToggle } = props;
  const status = itemStatus[item.status];
  return (
    <div
      role="row"
      data-testid="batch-row"
      data-status={item.status}
      data-filename={item.filename}
      style={style}
      className={`${rowGrid} items-start px-3 py-2 [contain-intrinsic-size:auto_3.5rem] [content-visibility:auto]`}
    >
      <span role="cell">
        <a href={`/api/media/${item.mediaId}`} target="_blank" rel="noreferrer" aria-label={`Open ${item.filename}`} className="block size-10 overflow-hidden rounded-md bg-zinc-100 dark:bg-zinc-800">
          {/* eslint-disable-next-line @next/next/no-img-element -- the preview, served by our authorizing route */}
          <img src={`/api/media/${item.mediaId}`} alt="" width={40} height={40} loading="lazy" decoding="async" className="size-full object-cover" onError={(e) => (e.currentTarget.style.visibility = 'hidden')} />
        </a>
      </span>
      <span role="cell" data-testid="batch-row-filename" className="truncate pt-2.5 font-medium sm:font-normal" title={item.filename}>
        {item.filename}
      </span>
      <span role="cell" className="pt-2">
        <StatusPill tone={status.tone} testId="batch-row-status">
          {item.status === 'running' && <span className="size-1.5 animate-pulse rounded-full bg-current" aria-hidden />}
          {status.label}
        </StatusPill>
      </span>
      {item.status === 'failed' ? (
        <span role="cell" data-testid="batch-row-error" className="col-[2/-1] text-red-600 sm:col-span-(--span) sm:pt-2 dark:text-red-400">
          {item.error ?? 'The model could not answer for this image.'}
        </span>
      ) : columns.length === 0 ? (
        <AnswerCell item={item} expanded={expanded} onToggle={onToggle} />
      ) : (
        columns.map((c) => {
          const value = item.result?.[c.name] ?? null;
          return (
            <span key={c.name} role="cell" className={`col-[2/-1] break-words sm:col-span-1 sm:pt-2 ${c.type === 'number' ? 'tabular-nums sm:text-right' : ''}`}>
              <span className="text-zinc-500 sm:hidden dark:text-zinc-400">{c.name}: </span>
              <span data-testid="batch-row-value" data-column={c.name}>
                {value === null ? <Missing status={item.status} /> : valueText(value)}
              </span>
            </span>
          );
        })
      )}
      <span
        role="cell"
        data-testid="batch-row-cost"
        className={`col-[2/-1] tabular-nums text-zinc-600 sm:col-span-1 sm:block sm:pt-2 sm:text-right dark:text-zinc-400 ${item.cached || item.costUsd !== null ? '' : 'hidden'}`}
        title={item.latencyMs !== null ? `Answered in ${formatMs(item.latencyMs)}` : undefined}
      >
        {item.cached ? (
          <StatusPill tone="good" testId="batch-row-cached">
            <span title="From the cache: same image, prompt and model. Free.">cached</span>
          </StatusPill>
        ) : item.costUsd !== null ? (
          <>
            <span className="text-zinc-500 sm:hidden dark:text-zinc-400">Cost </span>
            {formatUsd(item.costUsd)}
          </>
        ) : (
          '—'
        )}
      </span>
    </div>
  );
});

/** An empty value: not there yet, or the model said the image does not tell. */
function Missing({ status }: { status: BatchItemStatus }) {
  return <span className="text-zinc-400 dark:text-zinc-500">{status === 'succeeded' ? '—' : '…'}</span>;
}

function AnswerCell({ item, expanded, onToggle }: { item: BatchItemView; expanded: boolean; onToggle: (id: string) => void }) {
  const text = item.text;
  if (!text) {
    return (
      <span role="cell" data-testid="batch-row-text" className="col-[2/-1] sm:col-span-1 sm:pt-2">
        <Missing status={item.status} />
      </span>
    );
  }
  const long = text.length > LONG_ANSWER_CHARS || text.includes('\n');
  return (
    <span role="cell" className="col-[2/-1] flex flex-col items-start gap-0.5 sm:col-span-1 sm:pt-2">
      {/* Clamped, the lines run together so three lines show as much as they can; opened, they keep their breaks. */}
      <span data-testid="batch-row-text" className={`break-words ${long && !expanded ? 'line-clamp-3' : 'whitespace-pre-line'}`}>
        {text}
      </span>
      {long && (
        <button
          type="button"
          aria-expanded={expanded}
          onClick={() => onToggle(item.id)}
          className="rounded text-xs font-medium text-sky-700 hover:underline focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-sky-400"
        >
          {expanded ? 'Show less' : 'Show all'}
        </button>
      )}
    </span>
  );
}
