import type { Metadata } from 'next';
import { SharedLinksList } from '@/components/share/shared-links-list';
import { currentUserId } from '@/lib/auth/session';
import { listShareLinks } from '@/lib/db/share-links';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Shared links · Glimpse' };

export default async function SharedLinksPage() {
  const userId = await currentUserId();
  const links = userId ? await listShareLinks(userId) : [];
  return (
    <div className="flex h-full min-h-0 flex-col">
      <header className="border-b border-zinc-200 px-4 py-3 pl-14 md:pl-4 dark:border-zinc-800">
        <h1 className="text-lg font-semibold tracking-tight">Shared links</h1>
      </header>
      <div className="min-h-0 flex-1 overflow-y-auto">
        <div className="mx-auto max-w-3xl px-4 py-6">
          <SharedLinksList links={links} />
        </div>
      </div>
    </div>
  );
}
