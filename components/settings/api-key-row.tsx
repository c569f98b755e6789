'use client';

import { useState } from 'react';
import { ApiKeyUsage } from '@/components/settings/api-key-usage';
import { formatCount, formatUsd, relativeTime } from '@/components/ui/format';
import type { ApiKeySummary } from '@/lib/db/api-keys';

const plural = (n: number, word: string) => `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;

/** A key as its owner manages it: which one it is, whether it is in use, and Revoke (asked twice). */
export function ApiKeyRow({ apiKey: key, onRevoked }: { apiKey: ApiKeySummary; onRevoked: (key: ApiKeySummary) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const revoked = key.revokedAt !== null;
  const tokens = key.routes.reduce((sum, r) => sum + r.tokens, 0);
  const costUsd = key.routes.reduce((sum, r) => sum + r.costUsd, 0);

  async function revoke() {
    setBusy(true);
    setProblem(null);
    const res = await fetch(`/api/keys/${key.id}`, { method: 'DELETE' }).catch(() => null);
    setBusy(false);
    if (!res?.ok) {
      const body = (await res?.json().catch(() => null)) as { error?: { message?: string } } | null;
      return setProblem(body?.error?.message ?? 'Could not revoke the key. Check your connection and try again.');
    }
    setConfirming(false);
    onRevoked(((await res.json()) as { apiKey: ApiKeySummary }).apiKey);
  }

  return (
    <li
      data-testid="api-key"
      data-status={revoked ? 'revoked' : 'active'}
      className={`flex flex-col gap-2 rounded-xl border border-zinc-200 p-3 sm:flex-row sm:items-center dark:border-zinc-800 ${revoked ? 'opacity-70' : ''}`}
    >
      <div className="min-w-0 flex-1">
        <p className="flex flex-wrap items-center gap-x-2 gap-y-1">
          <span data-testid="api-key-name" className="truncate font-medium">
            {key.name}
          </span>
          <code data-testid="api-key-prefix" className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
            glk_{key.prefix}…
          </code>
          {revoked && <span className="rounded-full bg-zinc-200 px-2 py-0.5 text-xs font-medium text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">revoked</span>}
        </p>
        <p className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-zinc-500 dark:text-zinc-400">
          <span>created {relativeTime(key.createdAt)}</span>
          <span aria-hidden>·</span>
          <span data-testid="api-key-last-used">{key.lastUsedAt ? `last used ${relativeTime(key.lastUsedAt)}` : 'never used'}</span>
          <span aria-hidden>·</span>
          <span data-testid="api-key-requests">{plural(key.requests, 'request')} in the last 30 days</span>
          {(tokens > 0 || costUsd > 0) && (
            <>
              <span aria-hidden>·</span>
              <span data-testid="api-key-spend">
                {plural(tokens, 'token')} · {formatUsd(costUsd)}
              </span>
            </>
          )}
          {revoked && (
            <>
              <span aria-hidden>·</span>
              <span>revoked {relativeTime(key.revokedAt!)}</span>
            </>
          )}
        </p>
        <ApiKeyUsage routes={key.routes} />
        {problem && (
          <p role="alert" className="mt-1 text-xs text-red-600 dark:text-red-400">
            {problem}
          </p>
        )}
      </div>
      {!revoked &&
        (confirming ? (
          <div
            role="group"
            aria-label={`Revoke ${key.name}?`}
            onKeyDown={(e) => e.key === 'Escape' && setConfirming(false)}
            className="flex shrink-0 flex-wrap items-center gap-2"
          >
            <span className="w-full text-xs text-zinc-600 sm:w-auto dark:text-zinc-400">Programs using it stop working at once.</span>
            <button
              type="button"
              data-testid="api-key-revoke-confirm"
              disabled={busy}
              onClick={() => void revoke()}
              className="rounded-lg bg-red-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-700 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-red-400 disabled:opacity-50"
            >
              {busy ? 'Revoking…' : 'Revoke key'}
            </button>
            <button
              type="button"
              autoFocus
              data-testid="api-key-revoke-cancel"
              disabled={busy}
              onClick={() => setConfirming(false)}
              className="rounded-lg border border-zinc-300 px-3 py-1.5 text-sm hover:bg-zinc-100 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800"
            >
              Cancel
            </button>
          </div>
        ) : (
          <button
            type="button"
            data-testid="api-key-revoke"
            onClick={() => setConfirming(true)}
            className="shrink-0 self-start rounded-lg border border-zinc-300 px-3 py-1.5 text-sm hover:border-red-400 hover:text-red-700 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 sm:self-auto dark:border-zinc-700 dark:hover:border-red-800 dark:hover:text-red-400"
          >
            Revoke
          </button>
        ))}
    </li>
  );
}
