import Link from 'next/link';

/** What a guest sees instead of keys: an account is needed, and how to get one without losing anything. */
export function ApiKeysGuest() {
  return (
    <div data-testid="api-keys-guest" className="rounded-xl border border-zinc-200 p-4 dark:border-zinc-800">
      <p className="font-medium">API keys belong to accounts</p>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
        You are using Glimpse as a guest. Sign up to create keys for your programs; your chats and uploads come with you.
      </p>
      <div className="mt-3 flex gap-2 text-sm">
        <Link href="/sign-up?next=/settings" data-testid="api-keys-sign-up" className="rounded-lg bg-sky-600 px-3 py-1.5 font-medium text-white hover:bg-sky-700">
          Sign up
        </Link>
        <Link href="/sign-in?next=/settings" className="rounded-lg border border-zinc-300 px-3 py-1.5 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">
          Sign in
        </Link>
      </div>
    </div>
  );
}
