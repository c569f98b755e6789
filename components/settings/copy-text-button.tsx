'use client';

import { useState } from 'react';

/** Copies `text` as it is; where the clipboard is refused, says to select and copy by hand. */
export function CopyTextButton({ text, testId, label = 'Copy' }: { text: string; testId: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  async function copy() {
    const ok = await navigator.clipboard
      ?.writeText(text)
      .then(() => true)
      .catch(() => false);
    setState(ok ? 'copied' : 'failed');
    setTimeout(() => setState('idle'), 1500);
  }
  return (
    <button
      type="button"
      data-testid={testId}
      onClick={() => void copy()}
      className="shrink-0 rounded-lg bg-zinc-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-zinc-700 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300"
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Select and copy' : label}
    </button>
  );
}
