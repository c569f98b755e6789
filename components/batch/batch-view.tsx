'use client';

import Link from 'next/link';
import { BatchProgress } from '@/components/batch/batch-progress';
import { ResultsTable } from '@/components/batch/results-table';
import { useBatchLive } from '@/components/batch/use-batch-live';

const columnTypeWords = { text: 'text', number: 'number', boolean: 'yes/no', list: 'list' } as const;

/** A batch's page: what was asked, its live progress and actions, and the results as they come in. */
export function BatchView({ id }: { id: string }) {
  const live = useBatchLive(id);
  const { batch } = live;

  return (
    <div className="flex h-full min-h-0 flex-col">
      <header className="flex items-center gap-3 border-b border-zinc-200 px-4 py-3 pl-14 md:pl-4 dark:border-zinc-800">
        <Link href="/batch" data-testid="batch-back" className="text-sm text-zinc-500 hover:text-zinc-900 hover:underline dark:text-zinc-400 dark:hover:text-zinc-100">
          ← Batches
        </Link>
        <h1 className="text-lg font-semibold tracking-tight">Batch</h1>
      </header>
      <div className="min-h-0 flex-1 overflow-y-auto">
        <div className="mx-auto flex max-w-5xl flex-col gap-5 px-4 py-6">
          {!batch ? (
            live.loadError ? (
              <div role="alert" data-testid="batch-load-error" className="rounded-xl border border-red-300 bg-red-50 p-4 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200">
                <p>{live.loadError}</p>
                <button type="button" onClick={() => void live.reload()} className="mt-2 rounded-lg bg-red-700 px-3 py-1.5 text-white hover:bg-red-800">
                  Try again
                </button>
              </div>
            ) : (
              <div aria-label="Loading the batch" className="flex flex-col gap-4">
                <div className="h-16 animate-pulse rounded-xl bg-zinc-100 dark:bg-zinc-900" />
                <div className="h-40 animate-pulse rounded-2xl bg-zinc-100 dark:bg-zinc-900" />
              </div>
            )
          ) : (
            <>
              <section aria-label="What was asked" className="flex flex-col gap-2">
                <p data-testid="batch-prompt-text" className="whitespace-pre-line break-words rounded-xl bg-zinc-100 px-4 py-3 dark:bg-zinc-900">
                  {batch.prompt}
                </p>
                <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-zinc-500 dark:text-zinc-400">
                  <span data-testid="batch-model">{batch.modelLabel}</span>
                  {batch.detail !== 'auto' && <span>· detail {batch.detail}</span>}
                  <span aria-hidden>·</span>
                  <span>{batch.counts.total.toLocaleString('en-US')} images</span>
                  {batch.columns.length > 0 && (
                    <>
                      <span aria-hidden>·</span>
                      <span>columns:</span>
                      {batch.columns.map((c) => (
                        <span key={c.name} title={c.description} className="rounded-full bg-zinc-100 px-2 py-0.5 font-medium text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
                          {c.name} <span className="font-normal text-zinc-500 dark:text-zinc-400">{columnTypeWords[c.type]}</span>
                        </span>
                      ))}
                    </>
                  )}
                </p>
              </section>
              <BatchProgress batch={batch} reconnecting={live.reconnecting} acting={live.acting} actionError={live.actionError} onAction={(action) => void live.act(action)} />
              <ResultsTable items={live.items} columns={batch.columns} />
            </>
          )}
        </div>
      </div>
    </div>
  );
}
