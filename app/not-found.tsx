import Link from 'next/link';

export default function NotFound() {
  return (
    <div data-testid="not-found" className="flex h-dvh flex-col items-center justify-center gap-3 p-6 text-center">
      <h1 className="text-2xl font-semibold">Nothing here</h1>
      <p className="max-w-sm text-zinc-500 dark:text-zinc-400">This conversation does not exist, or it belongs to someone else.</p>
      <Link href="/" className="rounded-lg bg-zinc-900 px-4 py-2 text-sm font-medium text-white dark:bg-zinc-100 dark:text-zinc-900">
        Start a new chat
      </Link>
    </div>
  );
}
