'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { authClient } from '@/lib/auth/client';
import { nextPath } from '@/lib/auth/next-path';

const input =
  'w-full rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm focus:outline-none focus:ring-2 focus:ring-sky-500 dark:border-zinc-700 dark:bg-zinc-900';

/** Sign up or sign in with email and password; whatever the guest made comes along either way. */
export function AuthForm({ mode }: { mode: 'sign-in' | 'sign-up' }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const signUp = mode === 'sign-up';

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    setPending(true);
    setError(null);
    const result = signUp
      ? await authClient.signUp.email({ email, password, name: String(form.get('name') ?? '').trim() || email.split('@')[0] })
      : await authClient.signIn.email({ email, password });
    setPending(false);
    if (result.error) return setError(result.error.message ?? 'That did not work. Check your details and try again.');
    // Read at submit time rather than with useSearchParams, which would need a Suspense boundary on these static pages.
    router.push(nextPath(new URLSearchParams(window.location.search).get('next')));
    router.refresh();
  }

  return (
    <div className="flex min-h-dvh items-center justify-center p-6">
      <form onSubmit={submit} data-testid={`${mode}-form`} className="w-full max-w-sm space-y-4 rounded-2xl border border-zinc-200 p-6 dark:border-zinc-800">
        <div>
          <h1 className="text-xl font-semibold">{signUp ? 'Create your account' : 'Sign in'}</h1>
          <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">
            {signUp ? 'Your conversations so far come with you.' : 'Conversations from this browser’s guest session are added to your account.'}
          </p>
        </div>
        {signUp && (
          <label className="block space-y-1 text-sm">
            <span>Name</span>
            <input name="name" autoComplete="name" className={input} data-testid="auth-name" />
          </label>
        )}
        <label className="block space-y-1 text-sm">
          <span>Email</span>
          <input name="email" type="email" required autoComplete="email" className={input} data-testid="auth-email" />
        </label>
        <label className="block space-y-1 text-sm">
          <span>Password</span>
          <input
            name="password"
            type="password"
            required
            minLength={8}
            autoComplete={signUp ? 'new-password' : 'current-password'}
            className={input}
            data-testid="auth-password"
          />
          {signUp && <span className="text-xs text-zinc-500">At least 8 characters.</span>}
        </label>
        {error && (
          <p role="alert" data-testid="auth-error" className="text-sm text-red-600 dark:text-red-400">
            {error}
          </p>
        )}
        <button type="submit" disabled={pending} data-testid="auth-submit" className="w-full rounded-lg bg-sky-600 px-4 py-2 text-sm font-medium text-white hover:bg-sky-700 disabled:opacity-50">
          {pending ? 'One moment…' : signUp ? 'Sign up' : 'Sign in'}
        </button>
        <p className="text-center text-sm text-zinc-500">
          {signUp ? (
            <>Already have an account? <Link className="underline" href="/sign-in">Sign in</Link></>
          ) : (
            <>New here? <Link className="underline" href="/sign-up">Create an account</Link></>
          )}
          {' · '}
          <Link className="underline" href="/">Back to chat</Link>
        </p>
      </form>
    </div>
  );
}
