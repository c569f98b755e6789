import Link from 'next/link';

/** Unknown, revoked and expired links all end here: a stranger cannot tell which it was. */
export default function SharedLinkNotFound() {
  return (
    <div data-testid="share-not-found" className="flex h-dvh flex-col items-center justify-center gap-3 p-6 text-center">
      <h1 className="text-2xl font-semibold">This link is no longer available</h1>
      <p className="max-w-sm text-zinc-500 dark:text-zinc-400">This link was revoked or has expired. Ask whoever shared it for a new one.</p>
      <Link href="/" className="rounded-lg bg-zinc-900 px-4 py-2 text-sm font-medium text-white dark:bg-zinc-100 dark:text-zinc-900">
        Start your own chat
      </Link>
    </div>
  );
}
