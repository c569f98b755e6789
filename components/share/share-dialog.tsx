'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { CopyLinkButton, ShareLinkRow } from '@/components/share/share-link-row';
import type { ShareLinkSummary } from '@/lib/db/share-links';

const expiryOptions = [
  { value: '', label: 'Never expires' },
  { value: '1', label: 'Expires in 1 day' },
  { value: '7', label: 'Expires in 7 days' },
  { value: '30', label: 'Expires in 30 days' },
];

/** The chat header's Share button and the dialog it opens. */
export function ShareButton({ conversationId, disabled }: { conversationId: string; disabled: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        data-testid="share-button"
        disabled={disabled}
        title={disabled ? 'Share once the answer has finished' : 'Share a read-only link to this conversation'}
        onClick={() => setOpen(true)}
        className="ml-auto flex shrink-0 items-center gap-1.5 rounded-lg border border-zinc-300 p-2 text-sm font-medium sm:px-3 sm:py-1.5 hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800"
      >
        <svg width="15" height="15" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
          <path d="M4 12v7a1 1 0 001 1h14a1 1 0 001-1v-7M16 6l-4-4-4 4M12 2v13" />
        </svg>
        {/* A phone's header is already full with the model picker: the icon alone there. */}
        <span className="max-sm:sr-only">Share</span>
      </button>
      {open && <ShareDialog target={{ kind: 'conversation', conversationId }} onClose={() => setOpen(false)} />}
    </>
  );
}

/** A video's or recording's own Share button: a link to its analysis alone, not the conversation. */
export function ShareMediaButton({ mediaId, noun }: { mediaId: string; noun: 'video' | 'recording' }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        data-testid="share-media-button"
        title={`Share a read-only link to this ${noun} and its ${noun === 'video' ? 'timeline' : 'transcript'} alone`}
        aria-label={`Share this ${noun}`}
        onClick={() => setOpen(true)}
        className="rounded-md p-1 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
      >
        <svg width="15" height="15" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
          <path d="M4 12v7a1 1 0 001 1h14a1 1 0 001-1v-7M16 6l-4-4-4 4M12 2v13" />
        </svg>
      </button>
      {open && <ShareDialog target={{ kind: 'media', mediaId, noun }} onClose={() => setOpen(false)} />}
    </>
  );
}

type ShareTarget = { kind: 'conversation'; conversationId: string } | { kind: 'media'; mediaId: string; noun: 'video' | 'recording' };

const targetText = (target: ShareTarget) =>
  target.kind === 'conversation'
    ? {
        title: 'Share this conversation',
        liveLinks: 'Live links to this conversation',
        about: 'Anyone with the link can read it as it is now, images included. Messages you add later stay private.',
        createUrl: `/api/conversations/${target.conversationId}/share`,
        isMine: (link: ShareLinkSummary) => link.conversationId === target.conversationId && link.mediaId === null,
      }
    : {
        title: `Share this ${target.noun}`,
        liveLinks: `Live links to this ${target.noun} alone`,
        about: `Anyone with the link can ${target.noun === 'video' ? 'watch it and read its timeline' : 'listen to it and read its transcript'}, nothing else of the conversation. The shared copy carries none of the file’s metadata.`,
        createUrl: `/api/media/${target.mediaId}/share`,
        isMine: (link: ShareLinkSummary) => link.mediaId === target.mediaId,
      };

/**
 * A native modal <dialog>: focus stays inside, Esc closes it, and the page behind is inert. Lists
 * the live links to what it shares so an old one can be revoked from the same place.
 */
function ShareDialog({ target, onClose }: { target: ShareTarget; onClose: () => void }) {
  const text = targetText(target);
  const isMine = text.isMine;
  // The target is a new object each render; what it names is what the list depends on.
  const targetKey = target.kind === 'conversation' ? target.conversationId : target.mediaId;
  const dialog = useRef<HTMLDialogElement>(null);
  const [expiry, setExpiry] = useState('');
  const [links, setLinks] = useState<ShareLinkSummary[] | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  // No close() on cleanup: its close event would arrive after React's dev-mode remount and shut the
  // dialog again. Unmounting removes the element, which takes it out of the top layer anyway.
  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
  }, []);

  const refresh = useCallback(async () => {
    const res = await fetch('/api/share-links').catch(() => null);
    if (!res?.ok) return setProblem('Could not load the links made before.');
    const all = ((await res.json()) as { links: ShareLinkSummary[] }).links;
    setLinks(all.filter((l) => isMine(l) && l.status === 'live'));
  }, [targetKey]); // eslint-disable-line react-hooks/exhaustive-deps -- isMine is rebuilt each render from the same target

  useEffect(() => {
    void refresh();
  }, [refresh]);

  async function create() {
    setBusy(true);
    setProblem(null);
    const res = await fetch(text.createUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ expiresInDays: expiry ? Number(expiry) : null }),
    }).catch(() => null);
    setBusy(false);
    if (!res?.ok) {
      const body = (await res?.json().catch(() => null)) as { error?: { message?: string } } | null;
      return setProblem(body?.error?.message ?? 'Could not create a link. Try again.');
    }
    const { url } = (await res.json()) as { url: string };
    setCreated(url);
    await refresh();
  }

  const absolute = (url: string) => (typeof window === 'undefined' ? url : new URL(url, window.location.origin).href);

  return (
    <dialog
      ref={dialog}
      data-testid="share-dialog"
      aria-labelledby="share-dialog-title"
      onClose={onClose}
      // A click on the backdrop lands on the <dialog> itself, outside its content box.
      onClick={(e) => e.target === e.currentTarget && e.currentTarget.close()}
      className="m-auto w-[min(32rem,calc(100vw-1.5rem))] rounded-2xl border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
    >
      <div className="flex max-h-[min(40rem,calc(100dvh-2rem))] flex-col gap-4 overflow-y-auto p-5">
        <div className="flex items-start justify-between gap-3">
          <div>
            <h2 id="share-dialog-title" className="text-lg font-semibold">
              {text.title}
            </h2>
            <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">{text.about}</p>
          </div>
          <button
            type="button"
            aria-label="Close"
            data-testid="share-close"
            onClick={() => dialog.current?.close()}
            className="rounded-lg p-1 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
          >
            <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
              <path d="M6 6l12 12M18 6L6 18" />
            </svg>
          </button>
        </div>

        <div className="flex flex-col gap-2 sm:flex-row">
          <label className="sr-only" htmlFor="share-expiry">
            Expiry
          </label>
          <select
            id="share-expiry"
            data-testid="share-expiry"
            value={expiry}
            disabled={busy}
            onChange={(e) => setExpiry(e.target.value)}
            className="flex-1 rounded-lg border border-zinc-300 bg-white px-2.5 py-1.5 text-sm focus:outline-none focus:ring-2 focus:ring-sky-500 dark:border-zinc-700 dark:bg-zinc-900"
          >
            {expiryOptions.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
          <button
            type="button"
            data-testid="share-create"
            disabled={busy}
            onClick={() => void create()}
            className="rounded-lg bg-sky-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-sky-700 disabled:opacity-50"
          >
            {busy ? 'Creating…' : 'Create link'}
          </button>
        </div>

        {created && (
          <div className="flex flex-col gap-2 rounded-xl bg-sky-50 p-3 sm:flex-row sm:items-center dark:bg-sky-950/40">
            <label className="sr-only" htmlFor="share-created-url">
              New link
            </label>
            <input
              id="share-created-url"
              readOnly
              data-testid="share-url"
              value={absolute(created)}
              onFocus={(e) => e.currentTarget.select()}
              className="min-w-0 flex-1 rounded-lg border border-zinc-300 bg-white px-2.5 py-1.5 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-900"
            />
            <CopyLinkButton url={created} testId="share-copy" primary />
          </div>
        )}

        {problem && (
          <p role="alert" data-testid="share-error" className="text-sm text-red-600 dark:text-red-400">
            {problem}
          </p>
        )}

        <section aria-labelledby="share-live-links" className="flex flex-col gap-2">
          <h3 id="share-live-links" className="text-sm font-medium text-zinc-600 dark:text-zinc-300">
            {text.liveLinks}
          </h3>
          {links === null ? (
            <p className="text-sm text-zinc-500">Loading…</p>
          ) : links.length === 0 ? (
            <p className="text-sm text-zinc-500 dark:text-zinc-400">None yet.</p>
          ) : (
            <ul className="flex flex-col gap-2" data-testid="share-dialog-links">
              {links.map((link) => (
                <ShareLinkRow
                  key={link.id}
                  link={link}
                  showTitle={false}
                  onRevoked={() => {
                    setLinks((list) => list?.filter((l) => l.id !== link.id) ?? null);
                    if (created === link.url) setCreated(null);
                  }}
                />
              ))}
            </ul>
          )}
        </section>
      </div>
    </dialog>
  );
}
