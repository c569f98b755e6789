'use client';

import type { ModelSpec } from '@/lib/ai/catalog';
import { formatCount, formatUsd } from '@/components/ui/format';
import type { Attachment } from '@/components/chat/use-attachments';
import { describeTiles, type FineDetailOffer } from '@/components/chat/fine-detail';
import { ProgressBar } from '@/components/video/progress-bar';
import { RemoveAttachmentButton } from '@/components/chat/remove-attachment-button';

/** A staged image: thumbnail, upload progress or its error, size and token estimate, and fine detail where it helps. */
export function AttachmentChip(props: {
  attachment: Attachment;
  tokens: number | null;
  model: ModelSpec | null;
  /** Offered only for images the model would shrink enough to lose small print. */
  fineDetail: { offer: FineDetailOffer; on: boolean; onToggle: () => void } | null;
  onRemove: () => void;
}) {
  const { attachment: a, model, fineDetail, onRemove } = props;
  const tokens = fineDetail?.on ? fineDetail.offer.tokens : props.tokens;
  return (
    <li data-testid="attachment" data-state={a.state} className="relative w-32">
      <div className={`relative h-24 w-32 overflow-hidden rounded-xl border ${a.state === 'error' ? 'border-red-400' : 'border-zinc-200 dark:border-zinc-700'}`}>
        {/* eslint-disable-next-line @next/next/no-img-element -- a local object URL */}
        <img src={a.previewUrl ?? undefined} alt={a.filename} className={`size-full object-cover ${a.state === 'uploading' || a.state === 'waiting' ? 'opacity-60' : ''}`} onError={(e) => (e.currentTarget.style.visibility = 'hidden')} />
        {a.state === 'uploading' && (
          <ProgressBar value={a.progress} label={`Uploading ${a.filename}`} testId="attachment-progress" className="absolute inset-x-2 bottom-2 bg-black/20" />
        )}
        <RemoveAttachmentButton filename={a.filename} onRemove={onRemove} />
      </div>
      <p className="mt-1 truncate text-xs" title={a.filename}>
        {a.filename}
      </p>
      {a.state === 'error' ? (
        <p data-testid="attachment-error" className="text-xs text-red-600 dark:text-red-400">
          {a.error}
        </p>
      ) : a.fromChat ? (
        <p className="text-xs text-zinc-500 dark:text-zinc-400">From this conversation</p>
      ) : tokens !== null ? (
        <p data-testid="attachment-tokens" className="text-xs text-zinc-500 dark:text-zinc-400">
          {a.uploaded!.width}×{a.uploaded!.height} · ≈{formatCount(tokens)} tok{model?.price ? ` · ${formatUsd((tokens * model.price.input) / 1e6)}` : ''}
        </p>
      ) : (
        <p role="status" data-testid="attachment-upload-status" className="text-xs tabular-nums text-zinc-500 dark:text-zinc-400">
          {a.state === 'waiting' ? 'Waiting to upload' : `${Math.round(a.progress * 100)}%`}
        </p>
      )}
      {fineDetail && <FineDetailToggle {...fineDetail} />}
    </li>
  );
}

function FineDetailToggle({ offer, on, onToggle }: { offer: FineDetailOffer; on: boolean; onToggle: () => void }) {
  const count = offer.plan.tiles.length;
  return (
    <button
      type="button"
      data-testid="fine-detail-toggle"
      aria-pressed={on}
      aria-label={`Fine detail · ${count} tiles`}
      title={describeTiles(offer.plan)}
      onClick={onToggle}
      className={`mt-1.5 flex w-full items-center gap-2 rounded-lg border px-2 py-1 text-left text-xs transition-colors focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 ${
        on
          ? 'border-sky-600 bg-sky-50 text-sky-900 dark:border-sky-500 dark:bg-sky-950 dark:text-sky-100'
          : 'border-zinc-300 text-zinc-700 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800'
      }`}
    >
      <span
        aria-hidden
        className={`flex size-3.5 shrink-0 items-center justify-center rounded border text-[10px] leading-none ${
          on ? 'border-sky-600 bg-sky-600 text-white dark:border-sky-500 dark:bg-sky-500' : 'border-zinc-400 dark:border-zinc-500'
        }`}
      >
        {on ? '✓' : ''}
      </span>
      <span className="min-w-0">
        <span className="block font-medium">Fine detail</span>
        <span className={`block ${on ? 'text-sky-700 dark:text-sky-300' : 'text-zinc-500 dark:text-zinc-400'}`}>
          {count} tiles{offer.plan.capped ? ' (most)' : ''}
        </span>
      </span>
    </button>
  );
}
