'use client';

import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { relativeTime } from '@/components/ui/format';
import { onConversationsChanged } from '@/components/sidebar/conversations-changed';

export interface ConversationSummary {
  id: string;
  title: string;
  updatedAt: string;
}

export function Sidebar({ conversations: initial }: { conversations: ConversationSummary[] }) {
  const pathname = usePathname();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [conversations, setConversations] = useState(initial);

  useEffect(() => setConversations(initial), [initial]);
  useEffect(() => setOpen(false), [pathname]);
  useEffect(
    () =>
      onConversationsChanged(async () => {
        const res = await fetch('/api/conversations').catch(() => null);
        if (res?.ok) setConversations(((await res.json()) as { conversations: ConversationSummary[] }).conversations);
      }),
    [],
  );

  async function remove(id: string) {
    if (!window.confirm('Delete this conversation? This cannot be undone.')) return;
    setDeleting(id);
    const res = await fetch(`/api/conversations/${id}`, { method: 'DELETE' });
    setDeleting(null);
    if (!res.ok) return window.alert('Could not delete the conversation. Try again.');
    setConversations((list) => list.filter((c) => c.id !== id));
    if (pathname === `/c/${id}`) router.push('/');
  }

  return (
    <>
      <button
        type="button"
        aria-label="Open conversations"
        onClick={() => setOpen(true)}
        className="fixed left-3 top-3 z-30 rounded-lg border border-zinc-200 bg-white p-2 shadow-sm md:hidden dark:border-zinc-800 dark:bg-zinc-900"
      >
        <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
          <path d="M4 6h16M4 12h16M4 18h16" />
        </svg>
      </button>
      {open && <div className="fixed inset-0 z-30 bg-black/40 md:hidden" onClick={() => setOpen(false)} aria-hidden />}
      <aside
        data-testid="sidebar"
        className={`fixed inset-y-0 left-0 z-40 flex w-72 flex-col border-r border-zinc-200 bg-zinc-50 transition-transform md:static md:translate-x-0 dark:border-zinc-800 dark:bg-zinc-900 ${open ? 'translate-x-0' : '-translate-x-full'}`}
      >
        <div className="flex items-center justify-between px-4 py-3">
          <Link href="/" className="text-lg font-semibold tracking-tight">
            Glimpse
          </Link>
          <Link
            href="/"
            data-testid="new-chat"
            onClick={(e) => {
              // The chat page rewrites its address after the first message without telling the router,
              // so "/" may look current to it: force a fresh render (and a fresh conversation id).
              e.preventDefault();
              router.push('/');
              router.refresh();
            }}
            className="rounded-lg border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
          >
            New chat
          </Link>
        </div>
        <nav data-testid="conversation-list" aria-label="Conversations" className="flex-1 overflow-y-auto px-2 pb-4">
          {conversations.length === 0 ? (
            <p className="px-3 py-6 text-sm text-zinc-500 dark:text-zinc-400">No conversations yet. Drop an image and ask something.</p>
          ) : (
            <ul className="space-y-0.5">
              {conversations.map((c) => {
                const active = pathname === `/c/${c.id}`;
                return (
                  <li key={c.id} data-testid="conversation-item" className="group relative">
                    <Link
                      href={`/c/${c.id}`}
                      aria-current={active ? 'page' : undefined}
                      className={`block rounded-lg px-3 py-2 pr-9 text-sm ${active ? 'bg-zinc-200 dark:bg-zinc-800' : 'hover:bg-zinc-100 dark:hover:bg-zinc-800/60'}`}
                    >
                      <span className="block truncate font-medium">{c.title}</span>
                      <span className="block text-xs text-zinc-500 dark:text-zinc-400">{relativeTime(c.updatedAt)}</span>
                    </Link>
                    <button
                      type="button"
                      aria-label={`Delete ${c.title}`}
                      disabled={deleting === c.id}
                      onClick={() => remove(c.id)}
                      className="absolute right-2 top-1/2 -translate-y-1/2 rounded p-1 text-zinc-400 opacity-0 hover:text-red-600 focus:opacity-100 group-hover:opacity-100"
                    >
                      <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
                        <path d="M3 6h18M8 6V4h8v2M19 6l-1 14H6L5 6" />
                      </svg>
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
        </nav>
      </aside>
    </>
  );
}
