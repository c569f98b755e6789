'use client';

import { useEffect, useState } from 'react';
import { ShareLinkRow } from '@/components/share/share-link-row';
import type { ShareLinkSummary } from '@/lib/db/share-links';

/** Every link the person made, newest first; revoked and expired ones stay listed for the record. */
export function SharedLinksList({ links: initial }: { links: ShareLinkSummary[] }) {
  const [links, setLinks] = useState(initial);
  useEffect(() => setLinks(initial), [initial]);

  if (links.length === 0) {
    return (
      <p data-testid="shared-links-empty" className="py-6 text-sm text-zinc-500 dark:text-zinc-400">
        You have not shared anything yet. Open a conversation and press Share to make a read-only link.
      </p>
    );
  }
  return (
    <>
      <p className="mb-4 text-sm text-zinc-500 dark:text-zinc-400">
        Each link shows its conversation as it was when you shared it. Revoking a link stops its page and its images at once.
      </p>
      <ul data-testid="shared-links" className="flex flex-col gap-2">
        {links.map((link) => (
          <ShareLinkRow
            key={link.id}
            link={link}
            showTitle
            onRevoked={(revokedAt) => setLinks((list) => list.map((l) => (l.id === link.id ? { ...l, status: 'revoked', revokedAt } : l)))}
          />
        ))}
      </ul>
    </>
  );
}
