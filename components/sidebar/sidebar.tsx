'use client';

import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { onConversationsChanged } from '@/components/sidebar/conversations-changed';
import { ConversationItem } from '@/components/sidebar/conversation-item';
import { AccountPanel, type Viewer } from '@/components/sidebar/account-panel';

import type { ConversationSummary } from '@/lib/db/conversations';

export function Sidebar({ conversations: initial, viewer }: { conversations: ConversationSummary[]; viewer: Viewer | null }) {
  const pathname = usePathname();
  const router = useRouter();
  const [open, setOpen] = useState(false);
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
        <Link
          href="/batch"
          data-testid="batch-link"
          aria-current={pathname.startsWith('/batch') ? 'page' : undefined}
          className={`mx-2 mb-0.5 flex items-center gap-2 rounded-lg px-3 py-1.5 text-sm text-zinc-600 dark:text-zinc-400 ${pathname.startsWith('/batch') ? 'bg-zinc-200 dark:bg-zinc-800' : 'hover:bg-zinc-100 dark:hover:bg-zinc-800/60'}`}
        >
          <svg width="15" height="15" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
            <rect x="3" y="3" width="7" height="7" rx="1" />
            <rect x="14" y="3" width="7" height="7" rx="1" />
            <rect x="3" y="14" width="7" height="7" rx="1" />
            <rect x="14" y="14" width="7" height="7" rx="1" />
          </svg>
          Batch
        </Link>
        <Link
          href="/shared"
          data-testid="shared-links-link"
          aria-current={pathname === '/shared' ? 'page' : undefined}
          className={`mx-2 mb-2 flex items-center gap-2 rounded-lg px-3 py-1.5 text-sm text-zinc-600 dark:text-zinc-400 ${pathname === '/shared' ? 'bg-zinc-200 dark:bg-zinc-800' : 'hover:bg-zinc-100 dark:hover:bg-zinc-800/60'}`}
        >
          <svg width="15" height="15" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
            <path d="M10 13a5 5 0 007.5.5l3-3a5 5 0 00-7-7l-1.7 1.7M14 11a5 5 0 00-7.5-.5l-3 3a5 5 0 007 7l1.7-1.7" />
          </svg>
          Shared links
        </Link>
        <nav data-testid="conversation-list" aria-label="Conversations" className="flex-1 overflow-y-auto px-2 pb-4">
          {conversations.length === 0 ? (
            <p className="px-3 py-6 text-sm text-zinc-500 dark:text-zinc-400">No conversations yet. Drop an image and ask something.</p>
          ) : (
            <ul className="space-y-0.5">
              {conversations.map((c) => (
                <ConversationItem
                  key={c.id}
                  conversation={c}
                  active={pathname === `/c/${c.id}`}
                  onRenamed={(title) => setConversations((list) => list.map((x) => (x.id === c.id ? { ...x, title } : x)))}
                  onDeleted={() => {
                    setConversations((list) => list.filter((x) => x.id !== c.id));
                    if (pathname === `/c/${c.id}`) router.push('/');
                  }}
                />
              ))}
            </ul>
          )}
        </nav>
        <AccountPanel viewer={viewer} />
      </aside>
    </>
  );
}
