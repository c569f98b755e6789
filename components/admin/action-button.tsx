'use client';

import { useState, useTransition } from 'react';

/** Runs a server action from a table row, with a confirmation and a visible error. */
export function ActionButton(props: { label: string; confirm?: string; action: () => Promise<void>; testId?: string; danger?: boolean }) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="inline-flex flex-col">
      <button
        type="button"
        data-testid={props.testId}
        disabled={pending}
        onClick={() => {
          if (props.confirm && !window.confirm(props.confirm)) return;
          setError(null);
          start(async () => {
            try {
              await props.action();
            } catch {
              setError('That did not work. Reload and try again.');
            }
          });
        }}
        className={`rounded-md border px-2 py-1 text-xs disabled:opacity-50 ${props.danger ? 'border-red-300 text-red-700 hover:bg-red-50 dark:border-red-900 dark:text-red-400 dark:hover:bg-red-950' : 'border-zinc-300 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800'}`}
      >
        {pending ? '…' : props.label}
      </button>
      {error && <span className="text-xs text-red-600">{error}</span>}
    </span>
  );
}
