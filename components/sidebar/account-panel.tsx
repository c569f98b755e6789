'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { authClient } from '@/lib/auth/client';

export interface Viewer {
  name: string;
  email: string;
  isAnonymous: boolean;
  isAdmin: boolean;
}

/** Who this browser is: a guest invited to keep their chats, or an account that can sign out. */
export function AccountPanel({ viewer }: { viewer: Viewer | null }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);

  if (!viewer || viewer.isAnonymous) {
    return (
      <div data-testid="account-panel" className="border-t border-zinc-200 p-3 text-sm dark:border-zinc-800">
        <p className="text-zinc-600 dark:text-zinc-400">You are a guest. Sign up to keep your chats on every device.</p>
        <div className="mt-2 flex gap-2">
          <Link href="/sign-up" data-testid="sign-up-link" className="rounded-lg bg-sky-600 px-3 py-1.5 font-medium text-white hover:bg-sky-700">
            Sign up
          </Link>
          <Link href="/sign-in" data-testid="sign-in-link" className="rounded-lg border border-zinc-300 px-3 py-1.5 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">
            Sign in
          </Link>
        </div>
      </div>
    );
  }

  return (
    <div data-testid="account-panel" className="flex items-center justify-between gap-2 border-t border-zinc-200 p-3 text-sm dark:border-zinc-800">
      <div className="min-w-0">
        <p className="truncate font-medium">{viewer.name}</p>
        <p className="truncate text-xs text-zinc-500" data-testid="account-email">
          {viewer.email}
        </p>
        <p className="flex gap-3 text-xs">
          <Link href="/settings" data-testid="settings-link" className="text-sky-600 underline dark:text-sky-400">
            Settings
          </Link>
          {viewer.isAdmin && (
            <Link href="/admin" data-testid="admin-link" className="text-sky-600 underline dark:text-sky-400">
              Admin console
            </Link>
          )}
        </p>
      </div>
      <button
        type="button"
        data-testid="sign-out"
        disabled={pending}
        onClick={async () => {
          setPending(true);
          await authClient.signOut();
          // The next request makes this browser a new guest.
          router.push('/');
          router.refresh();
        }}
        className="shrink-0 rounded-lg border border-zinc-300 px-3 py-1.5 hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800"
      >
        Sign out
      </button>
    </div>
  );
}
