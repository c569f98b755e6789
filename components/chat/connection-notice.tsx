'use client';

import type { Connection } from '@/components/chat/use-catch-up';

/**
 * Under the answer being written when its connection broke: that the page is reattaching (the
 * server keeps writing meanwhile), or that it gave up, with a Retry. Nothing while connected.
 */
export function ConnectionNotice({ connection, online, onRetry }: { connection: Connection; online: boolean; onRetry: () => void }) {
  if (connection === 'live') return null;
  const state = connection === 'lost' ? 'lost' : online ? 'reconnecting' : 'offline';
  return (
    <div className="mx-auto w-full max-w-3xl px-4 pb-2">
      {state === 'lost' ? (
        <div
          role="alert"
          data-testid="connection-notice"
          data-state={state}
          className="flex flex-wrap items-center gap-x-3 gap-y-2 rounded-xl border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200"
        >
          <p className="min-w-0 flex-1">
            <span className="font-medium">Connection lost.</span> The answer is kept on the server: retry to see it.
          </p>
          <button
            type="button"
            data-testid="connection-retry"
            onClick={onRetry}
            className="rounded-lg bg-red-700 px-3 py-1.5 font-medium text-white hover:bg-red-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-700 dark:bg-red-600 dark:hover:bg-red-500"
          >
            Retry
          </button>
        </div>
      ) : (
        <div
          role="status"
          data-testid="connection-notice"
          data-state={state}
          className="flex items-center gap-2 rounded-xl border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900/60 dark:bg-amber-950/40 dark:text-amber-200"
        >
          <span aria-hidden className="inline-block size-2 shrink-0 animate-pulse rounded-full bg-amber-500" />
          <span>
            <span className="font-medium">Reconnecting…</span>{' '}
            {state === 'offline' ? 'You are offline; the answer continues when the network is back.' : 'The answer keeps being written meanwhile.'}
          </span>
        </div>
      )}
    </div>
  );
}
