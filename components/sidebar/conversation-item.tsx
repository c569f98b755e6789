'use client';

import Link from 'next/link';
import { useState, type KeyboardEvent } from 'react';
import { relativeTime } from '@/components/ui/format';
import type { ConversationSummary } from '@/lib/db/conversations';

const iconButton = 'rounded p-1 text-zinc-400 hover:text-zinc-900 focus:opacity-100 disabled:opacity-40 dark:hover:text-zinc-100';

export function ConversationItem(props: {
  conversation: ConversationSummary;
  active: boolean;
  onRenamed: (title: string) => void;
  onDeleted: () => void;
}) {
  const { conversation: c, active, onRenamed, onDeleted } = props;
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(c.title);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function rename() {
    const title = draft.trim();
    if (!title || title === c.title) return setEditing(false);
    setBusy(true);
    const res = await fetch(`/api/conversations/${c.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title }),
    }).catch(() => null);
    setBusy(false);
    if (!res?.ok) return setProblem('Could not rename. Try again.');
    setProblem(null);
    setEditing(false);
    onRenamed(title);
  }

  async function remove() {
    if (!window.confirm(`Delete “${c.title}”? This cannot be undone.`)) return;
    setBusy(true);
    const res = await fetch(`/api/conversations/${c.id}`, { method: 'DELETE' }).catch(() => null);
    setBusy(false);
    if (!res?.ok) return setProblem('Could not delete. Try again.');
    onDeleted();
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'Enter') void rename();
    if (e.key === 'Escape') {
      setDraft(c.title);
      setEditing(false);
    }
  }

  return (
    <li data-testid="conversation-item" className="group relative">
      {editing ? (
        <input
          autoFocus
          aria-label="Conversation title"
          data-testid="conversation-title-input"
          value={draft}
          disabled={busy}
          maxLength={120}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onKeyDown}
          onBlur={() => void rename()}
          className="w-full rounded-lg border border-sky-500 bg-white px-3 py-2 text-sm focus:outline-none dark:bg-zinc-900"
        />
      ) : (
        <Link
          href={`/c/${c.id}`}
          aria-current={active ? 'page' : undefined}
          className={`block rounded-lg px-3 py-2 pr-16 text-sm ${active ? 'bg-zinc-200 dark:bg-zinc-800' : 'hover:bg-zinc-100 dark:hover:bg-zinc-800/60'}`}
        >
          <span className="block truncate font-medium">{c.title}</span>
          <span className="block text-xs text-zinc-500 dark:text-zinc-400">{relativeTime(c.updatedAt)}</span>
        </Link>
      )}
      {problem && <p className="px-3 text-xs text-red-600">{problem}</p>}
      {!editing && (
        <div className="absolute right-2 top-2 flex opacity-0 group-hover:opacity-100 focus-within:opacity-100 max-md:opacity-100">
          <button type="button" aria-label={`Rename ${c.title}`} data-testid="conversation-rename" disabled={busy} onClick={() => setEditing(true)} className={iconButton}>
            <svg width="15" height="15" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
              <path d="M12 20h9M16.5 3.5a2.1 2.1 0 013 3L7 19l-4 1 1-4z" />
            </svg>
          </button>
          <button type="button" aria-label={`Delete ${c.title}`} data-testid="conversation-delete" disabled={busy} onClick={() => void remove()} className={`${iconButton} hover:text-red-600 dark:hover:text-red-500`}>
            <svg width="15" height="15" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
              <path d="M3 6h18M8 6V4h8v2M19 6l-1 14H6L5 6" />
            </svg>
          </button>
        </div>
      )}
    </li>
  );
}
