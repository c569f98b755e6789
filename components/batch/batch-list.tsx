'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import type { BatchSummary } from '@/lib/batch/types';
import { readableError } from '@/components/chat/errors';
import { relativeTime } from '@/components/ui/format';
import { ProgressBar } from '@/components/video/progress-bar';
import { isTerminal, listBatches } from '@/components/batch/batch-api';
import { costText, finishedCount, statusLabel, statusPill } from '@/components/batch/batch-format';
import { StatusPill } from '@/components/batch/status-pill';

/** While a listed batch is still going, the list is looked at again this often. */
const REFRESH_MS = 5000;

/** The person's batches, newest first, each linking to its page. */
export function BatchList() {
  const [batches, setBatches] = useState<BatchSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const anyActive = batches?.some((b) => !isTerminal(b.status)) ?? false;

  useEffect(() => {
    let gone = false;
    const load = async () => {
      try {
        const answer = await listBatches();
        if (gone) return;
        setBatches(answer.batches);
        setError(null);
      } catch (failure) {
        if (!gone) setError(readableError(failure as Error));
      }
    };
    void load();
    const timer = anyActive ? setInterval(load, REFRESH_MS) : undefined;
    return () => {
      gone = true;
      clearInterval(timer);
    };
  }, [anyActive]);

  return (
    <section aria-labelledby="batch-list-heading" className="flex flex-col gap-3 border-t border-zinc-200 pt-6 dark:border-zinc-800">
      <h2 id="batch-list-heading" className="text-sm font-medium">
        Your batches
      </h2>
      {error && (
        <p role="alert" data-testid="batch-list-error" className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
      {batches === null ? (
        !error && <div className="h-16 animate-pulse rounded-xl bg-zinc-100 dark:bg-zinc-900" aria-label="Loading your batches" />
      ) : batches.length === 0 ? (
        <p data-testid="batch-list-empty" className="text-sm text-zinc-500 dark:text-zinc-400">
          No batches yet. Add images above, write a prompt and press Start: each image is asked on its own, and the answers come back as a table.
        </p>
      ) : (
        <ul data-testid="batch-list" className="flex flex-col gap-2">
          {batches.map((b) => (
            <BatchRow key={b.id} batch={b} />
          ))}
        </ul>
      )}
    </section>
  );
}

function BatchRow({ batch: b }: { batch: BatchSummary }) {
  const done = finishedCount(b.counts);
  return (
    <li data-testid="batch-list-item" data-status={b.status}>
      <Link
        href={`/batch/${b.id}`}
        className="flex flex-col gap-1.5 rounded-xl border border-zinc-200 p-3 hover:bg-zinc-50 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:border-zinc-800 dark:hover:bg-zinc-900"
      >
        <span className="truncate font-medium" title={b.prompt}>
          {b.prompt}
        </span>
        <span className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-zinc-500 dark:text-zinc-400">
          <StatusPill tone={statusPill[b.status]}>{statusLabel[b.status]}</StatusPill>
          <span className="tabular-nums">
            {done.toLocaleString('en-US')} / {b.counts.total.toLocaleString('en-US')} images
          </span>
          {b.counts.failed > 0 && <span className="text-red-600 dark:text-red-400">{b.counts.failed} failed</span>}
          <span aria-hidden>·</span>
          <span>{b.modelLabel}</span>
          <span aria-hidden>·</span>
          <span>{costText(b.costUsd)}</span>
          <span aria-hidden>·</span>
          <span>{relativeTime(b.createdAt)}</span>
        </span>
        {!isTerminal(b.status) && <ProgressBar value={b.counts.total ? done / b.counts.total : 0} label={`Progress of “${b.prompt}”`} testId="batch-list-progress" className="bg-zinc-200 dark:bg-zinc-700" />}
      </Link>
    </li>
  );
}
