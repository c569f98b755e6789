'use client';

import { useEffect, useRef } from 'react';
import { CopyButton } from '@/components/ui/copy-button';

/** The one time a key is shown: copy it now, or revoke it and make another. */
export function NewKeyReveal({ name, apiKey, onDone }: { name: string; apiKey: string; onDone: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  // Selected and focused, so Ctrl/⌘+C right away copies it too.
  useEffect(() => input.current?.select(), []);
  const origin = typeof window === 'undefined' ? '' : window.location.origin;

  return (
    <div data-testid="api-key-reveal" role="status" className="flex flex-col gap-3 rounded-xl border border-amber-300 bg-amber-50 p-4 dark:border-amber-900/70 dark:bg-amber-950/30">
      <div>
        <p className="font-medium">Copy your new key “{name}” now</p>
        <p data-testid="api-key-reveal-note" className="mt-0.5 text-sm text-zinc-700 dark:text-zinc-300">
          You will not see it again: Glimpse keeps only a fingerprint of it. If you lose it, revoke it and create another.
        </p>
      </div>
      <div className="flex flex-col gap-2 sm:flex-row">
        <label className="sr-only" htmlFor="api-key-value">
          Your new API key
        </label>
        <input
          ref={input}
          id="api-key-value"
          data-testid="api-key-value"
          readOnly
          value={apiKey}
          onFocus={(e) => e.currentTarget.select()}
          className="min-w-0 flex-1 rounded-lg border border-zinc-300 bg-white px-2.5 py-1.5 font-mono text-sm focus:outline-none focus:ring-2 focus:ring-sky-500 dark:border-zinc-700 dark:bg-zinc-900"
        />
        <CopyButton text={apiKey} testId="api-key-copy" label="Copy key" primary />
      </div>
      <div className="text-xs text-zinc-600 dark:text-zinc-400">
        <p>Try it:</p>
        <code className="mt-1 block break-all rounded-lg bg-white/70 px-2.5 py-1.5 font-mono dark:bg-zinc-900/70">
          curl -H &quot;Authorization: Bearer {apiKey}&quot; {origin}/api/v1/me
        </code>
      </div>
      <button
        type="button"
        data-testid="api-key-reveal-done"
        onClick={onDone}
        className="self-start rounded-lg border border-zinc-300 px-3 py-1.5 text-sm hover:bg-white focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:border-zinc-700 dark:hover:bg-zinc-800"
      >
        I have copied it
      </button>
    </div>
  );
}
