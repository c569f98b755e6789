'use client';

import Link from 'next/link';
import { useState } from 'react';
import { CopyButton } from '@/components/ui/copy-button';
import { relativeTime } from '@/components/ui/format';
import type { ShareLinkSummary } from '@/lib/db/share-links';

const DAY_MS = 24 * 60 * 60 * 1000;

function expiryText(link: ShareLinkSummary, now = Date.now()): string {
  if (link.status === 'revoked') return 'revoked';
  if (link.status === 'expired') return 'expired';
  if (!link.expiresAt) return 'never expires';
  const left = new Date(link.expiresAt).getTime() - now;
  if (left < DAY_MS) return `expires in ${Math.max(1, Math.round(left / (60 * 60 * 1000)))} h`;
  return `expires in ${Math.round(left / DAY_MS)} d`;
}

const statusStyle: Record<ShareLinkSummary['status'], string> = {
  live: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300',
  revoked: 'bg-zinc-200 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300',
  expired: 'bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300',
};

/** A link with what a person needs to manage it: where it goes, how long it lives, copy, revoke. */
export function ShareLinkRow(props: { link: ShareLinkSummary; showTitle: boolean; onRevoked: (revokedAt: string) => void }) {
  const { link, showTitle, onRevoked } = props;
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function revoke() {
    setBusy(true);
    setProblem(null);
    const res = await fetch(`/api/share-links/${link.id}`, { method: 'DELETE' }).catch(() => null);
    setBusy(false);
    if (!res?.ok) return setProblem('Could not revoke. Try again.');
    const { revokedAt } = (await res.json()) as { revokedAt: string | null };
    onRevoked(revokedAt ?? new Date().toISOString());
  }

  return (
    <li data-testid="share-link" data-status={link.status} data-url={link.url} className="flex flex-col gap-2 rounded-xl border border-zinc-200 p-3 sm:flex-row sm:items-center dark:border-zinc-800">
      <div className="min-w-0 flex-1">
        {showTitle && (
          <Link href={`/c/${link.conversationId}`} data-testid="share-link-title" className="block truncate font-medium hover:underline">
            {link.title}
          </Link>
        )}
        <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-zinc-500 dark:text-zinc-400">
          <span className={`rounded-full px-2 py-0.5 font-medium ${statusStyle[link.status]}`}>{link.status}</span>
          {link.shares !== 'conversation' && (
            <span data-testid="share-link-shares" className="rounded-full bg-zinc-100 px-2 py-0.5 font-medium dark:bg-zinc-800">
              {link.shares === 'audio' ? 'recording only' : 'video only'}
            </span>
          )}
          <span>created {relativeTime(link.createdAt)}</span>
          <span aria-hidden>·</span>
          <span data-testid="share-link-expiry">{expiryText(link)}</span>
          <span aria-hidden>·</span>
          <span data-testid="share-link-views">
            {link.views} {link.views === 1 ? 'view' : 'views'}
          </span>
        </p>
        {link.status === 'live' && (
          <a href={link.url} target="_blank" rel="noreferrer" data-testid="share-link-url" className="mt-1 block truncate font-mono text-xs text-sky-700 hover:underline dark:text-sky-400">
            {link.url}
          </a>
        )}
        {problem && (
          <p role="alert" className="mt-1 text-xs text-red-600 dark:text-red-400">
            {problem}
          </p>
        )}
      </div>
      {link.status === 'live' && (
        <div className="flex shrink-0 gap-2">
          <CopyLinkButton url={link.url} testId="share-link-copy" />
          <button
            type="button"
            data-testid="share-revoke"
            disabled={busy}
            onClick={() => void revoke()}
            className="rounded-lg border border-zinc-300 px-3 py-1.5 text-sm hover:border-red-400 hover:text-red-700 disabled:opacity-50 dark:border-zinc-700 dark:hover:border-red-800 dark:hover:text-red-400"
          >
            {busy ? 'Revoking…' : 'Revoke'}
          </button>
        </div>
      )}
    </li>
  );
}

/** Copies the absolute address of a share path. */
export function CopyLinkButton({ url, testId, primary = false }: { url: string; testId: string; primary?: boolean }) {
  return <CopyButton text={() => new URL(url, window.location.origin).href} label="Copy link" testId={testId} primary={primary} />;
}
