'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';

/**
 * The end of a shared page: an account can carry on in its own copy; anyone else (a guest or
 * nobody) is invited to sign up first and comes back here afterwards.
 */
export function ContinueInCopy({ token, canCopy }: { token: string; canCopy: boolean }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  // Signing up or in brings the person back here (see lib/auth/next-path.ts).
  const back = encodeURIComponent(`/share/${token}`);

  async function copy() {
    setPending(true);
    setProblem(null);
    const res = await fetch(`/api/share/${token}/copy`, { method: 'POST' }).catch(() => null);
    if (!res?.ok) {
      setPending(false);
      const body = (await res?.json().catch(() => null)) as { error?: { message?: string } } | null;
      return setProblem(body?.error?.message ?? 'Could not make a copy. Try again.');
    }
    const { url } = (await res.json()) as { url: string };
    router.push(url);
  }

  return (
    <div data-testid="share-continue" className="mt-2 flex flex-col gap-3 rounded-2xl border border-zinc-200 p-4 sm:flex-row sm:items-center sm:justify-between dark:border-zinc-800">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        {canCopy ? 'Ask your own follow-up questions in a copy. The original stays as it is.' : 'Want to ask your own follow-up questions?'}
      </p>
      {canCopy ? (
        <button
          type="button"
          data-testid="continue-copy"
          disabled={pending}
          onClick={() => void copy()}
          className="shrink-0 rounded-lg bg-sky-600 px-4 py-2 text-sm font-medium text-white hover:bg-sky-700 disabled:opacity-50"
        >
          {pending ? 'Copying…' : 'Continue in a copy'}
        </button>
      ) : (
        <div className="flex shrink-0 flex-col items-stretch gap-1.5 text-center sm:items-end">
          <Link
            href={`/sign-up?next=${back}`}
            data-testid="continue-sign-up"
            className="rounded-lg bg-sky-600 px-4 py-2 text-sm font-medium text-white hover:bg-sky-700"
          >
            Sign up to continue this conversation
          </Link>
          <Link href={`/sign-in?next=${back}`} data-testid="continue-sign-in" className="text-xs text-zinc-500 underline hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100">
            Have an account? Sign in
          </Link>
        </div>
      )}
      {problem && (
        <p role="alert" data-testid="continue-error" className="text-sm text-red-600 dark:text-red-400">
          {problem}
        </p>
      )}
    </div>
  );
}
