'use client';

import { useState } from 'react';

const focusRing = 'focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500';

/**
 * Copies `text` (given as a function, it is worked out on click: e.g. an address on the page's
 * origin); where the clipboard is refused, says to select and copy by hand.
 */
export function CopyButton({ text, testId, label = 'Copy', primary = false }: { text: string | (() => string); testId: string; label?: string; primary?: boolean }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  async function copy() {
    const ok = await navigator.clipboard
      ?.writeText(typeof text === 'function' ? text() : text)
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
      className={
        primary
          ? `shrink-0 rounded-lg bg-zinc-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-zinc-700 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300 ${focusRing}`
          : `shrink-0 rounded-lg border border-zinc-300 px-3 py-1.5 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800 ${focusRing}`
      }
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Select and copy' : label}
    </button>
  );
}
