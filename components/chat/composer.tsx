'use client';

import { useRef, useState, type ClipboardEvent, type KeyboardEvent } from 'react';
import type { ModelSpec } from '@/lib/ai/catalog';
import { imageTokensFor } from '@/lib/ai/budget';
import { COMPARE_IMAGES, DEFAULT_COMPARE_QUESTION } from '@/lib/chat/comparison-schema';
import type { Detail } from '@/lib/media/types';
import { formatCount, formatUsd } from '@/components/ui/format';
import type { Attachment, Uploaded, UploadedImage } from '@/components/chat/use-attachments';
import { AttachmentChip } from '@/components/chat/attachment-chip';
import { acceptedFiles } from '@/components/chat/file-kind';
import { fineDetailOffer } from '@/components/chat/fine-detail';
import { holdMessage } from '@/components/chat/send-hold';
import { AudioChip, VideoChip } from '@/components/video/video-chip';

export function Composer(props: {
  model: ModelSpec | null;
  detail: Detail;
  attachments: Attachment[];
  notice: string | null;
  text: string;
  onTextChange: (text: string) => void;
  busy: boolean;
  onAddFiles: (files: File[]) => void;
  onRemove: (localId: string) => void;
  /** Retries a video's or a recording's processing. */
  onRetryVideo: (localId: string) => void;
  /** `tiles`: media ids of the images to read in fine detail (answers only). */
  onSend: (text: string, attachments: Uploaded[], mode: 'answer' | 'compare', tiles: string[]) => Promise<void> | void;
  onStop: () => void;
}) {
  const { model, detail, attachments, notice, text, onTextChange: setText, busy, onAddFiles, onRemove, onRetryVideo, onSend, onStop } = props;
  const fileInput = useRef<HTMLInputElement>(null);
  // Staged images to read in fine detail, by attachment.
  const [fineDetail, setFineDetail] = useState<ReadonlySet<string>>(new Set());

  const uploading = attachments.some((a) => a.state === 'uploading' || a.state === 'waiting');
  const readyOnes = attachments.filter((a) => a.state === 'ready' && a.uploaded);
  const ready = readyOnes.map((a) => a.uploaded!);
  const imageOnes = readyOnes.filter((a) => a.kind === 'image');
  // A picked image of the conversation has no known size: it is counted, not estimated.
  const images = imageOnes.filter((a) => !a.fromChat).map((a) => a.uploaded!);
  // A video is only worth asking about once its scenes are described, a recording once it is
  // transcribed: that is what the model reads.
  const videoWait = holdMessage(attachments, 'video');
  const audioWait = holdMessage(attachments, 'audio');
  const canSend = !busy && !uploading && !videoWait && !audioWait && model !== null && (text.trim().length > 0 || ready.length > 0);

  const estimate = (image: UploadedImage) => (model ? imageTokensFor(model, detail, image.width, image.height) : 0);
  const totalTokens = images.reduce((sum, image) => sum + estimate(image), 0);
  // Offered (and sent) only while the model and detail would shrink the image enough to lose detail.
  const offers = new Map(
    imageOnes.flatMap((a) => {
      const offer = model && !a.fromChat ? fineDetailOffer(model, detail, a.uploaded!) : null;
      return offer ? [[a.localId, offer] as const] : [];
    }),
  );
  const tiled = [...offers.keys()].filter((localId) => fineDetail.has(localId));
  const tiledTokens = tiled.reduce((sum, localId) => sum + offers.get(localId)!.tileTokens, totalTokens);
  const toggleFineDetail = (localId: string) =>
    setFineDetail((on) => {
      const next = new Set(on);
      if (!next.delete(localId)) next.add(localId);
      return next;
    });
  const counted = (kind: 'video' | 'audio', noun: string) => {
    const n = readyOnes.filter((a) => a.kind === kind).length;
    return n > 0 ? `${n} ${noun}${n > 1 ? 's' : ''}` : null;
  };
  const picked = imageOnes.length - images.length;
  const mediaCount =
    [counted('video', 'video'), counted('audio', 'recording'), picked > 0 ? `${picked} from this conversation` : null].filter(Boolean).join(' · ') || null;

  const whyNotCompare = compareBlocker(attachments, imageOnes.length, readyOnes.length);
  const canCompare = canSend && !whyNotCompare;

  function submit() {
    if (!canSend) return;
    const question = text.trim();
    setText('');
    const tiles = imageOnes.filter((a) => tiled.includes(a.localId)).map((a) => a.uploaded!.id);
    setFineDetail(new Set());
    void onSend(question, ready, 'answer', tiles);
  }

  /** The text is the question; without one the images are simply compared. */
  function compare() {
    if (!canCompare) return;
    const question = text.trim() || DEFAULT_COMPARE_QUESTION;
    setText('');
    void onSend(question, ready, 'compare', []);
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Escape' && busy) {
      e.preventDefault();
      onStop();
      return;
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  }

  function onPaste(e: ClipboardEvent<HTMLTextAreaElement>) {
    const files = [...e.clipboardData.files];
    if (files.length > 0) {
      e.preventDefault();
      onAddFiles(files);
    }
  }

  return (
    <div className="border-t border-zinc-200 bg-white px-4 pb-4 pt-3 dark:border-zinc-800 dark:bg-zinc-950">
      <div className="mx-auto max-w-3xl">
        {attachments.length > 0 && (
          <ul className="mb-3 flex flex-wrap gap-3" aria-label="Attached files">
            {attachments.map((a) =>
              a.kind === 'video' ? (
                <VideoChip key={a.localId} attachment={a} onRemove={() => onRemove(a.localId)} onRetry={() => onRetryVideo(a.localId)} />
              ) : a.kind === 'audio' ? (
                <AudioChip key={a.localId} attachment={a} onRemove={() => onRemove(a.localId)} onRetry={() => onRetryVideo(a.localId)} />
              ) : (
                <AttachmentChip
                  key={a.localId}
                  attachment={a}
                  tokens={a.uploaded && !a.fromChat ? estimate(a.uploaded) : null}
                  model={model}
                  fineDetail={offers.has(a.localId) ? { offer: offers.get(a.localId)!, on: fineDetail.has(a.localId), onToggle: () => toggleFineDetail(a.localId) } : null}
                  onRemove={() => onRemove(a.localId)}
                />
              ),
            )}
          </ul>
        )}
        {videoWait && (
          <p role="status" data-testid="composer-video-wait" className="mb-2 text-sm text-zinc-600 dark:text-zinc-400">
            {videoWait}
          </p>
        )}
        {audioWait && (
          <p role="status" data-testid="composer-audio-wait" className="mb-2 text-sm text-zinc-600 dark:text-zinc-400">
            {audioWait}
          </p>
        )}
        {notice && (
          <p role="alert" data-testid="composer-notice" className="mb-2 text-sm text-amber-700 dark:text-amber-400">
            {notice}
          </p>
        )}
        <div className="flex items-end gap-2 rounded-2xl border border-zinc-300 bg-white p-2 focus-within:ring-2 focus-within:ring-sky-500 dark:border-zinc-700 dark:bg-zinc-900">
          <button
            type="button"
            data-testid="attach-button"
            aria-label="Attach images, videos or recordings"
            title="Attach images, videos or recordings (MP3, M4A, WAV, OGG, FLAC, WebM) — or drop or paste them"
            onClick={() => fileInput.current?.click()}
            className="rounded-xl p-2 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
          >
            <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
              <path d="M21.44 11.05l-9.19 9.19a6 6 0 01-8.49-8.49l9.19-9.19a4 4 0 015.66 5.66l-9.2 9.19a2 2 0 01-2.83-2.83l8.49-8.48" />
            </svg>
          </button>
          <input
            ref={fileInput}
            data-testid="attach-input"
            type="file"
            multiple
            accept={acceptedFiles}
            className="hidden"
            onChange={(e) => {
              onAddFiles([...(e.target.files ?? [])]);
              e.target.value = '';
            }}
          />
          <label htmlFor="composer-input" className="sr-only">
            Your question
          </label>
          <textarea
            id="composer-input"
            data-testid="composer-input"
            rows={1}
            autoFocus
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={onKeyDown}
            onPaste={onPaste}
            placeholder={model ? 'Ask about your images, videos or recordings…' : 'Pick a model first'}
            className="max-h-48 min-h-10 flex-1 resize-none bg-transparent px-1 py-2 focus:outline-none field-sizing-content"
          />
          {!busy && attachments.some((a) => a.kind === 'image') && (
            <span className="relative">
              <button
                type="button"
                data-testid="compare-button"
                onClick={compare}
                // aria-disabled, not disabled: it stays focusable, so the reason can be read from it.
                aria-disabled={!canCompare}
                aria-describedby="compare-reason"
                className="peer rounded-xl border border-sky-600 px-3 py-2 text-sm font-medium text-sky-700 hover:bg-sky-50 aria-disabled:cursor-not-allowed aria-disabled:opacity-40 aria-disabled:hover:bg-transparent dark:border-sky-500 dark:text-sky-300 dark:hover:bg-sky-950"
              >
                Compare
              </button>
              <span
                id="compare-reason"
                role="tooltip"
                data-testid="compare-reason"
                className="pointer-events-none invisible absolute bottom-full right-0 z-20 mb-2 w-56 rounded-lg bg-zinc-900 px-2.5 py-1.5 text-xs text-white opacity-0 shadow-lg transition-opacity peer-hover:visible peer-hover:opacity-100 peer-focus-visible:visible peer-focus-visible:opacity-100 dark:bg-zinc-100 dark:text-zinc-900"
              >
                {whyNotCompare ?? `Compare the ${imageOnes.length} images side by side in a table${text.trim() ? ', guided by your question' : ''}.`}
              </span>
            </span>
          )}
          {busy ? (
            <button type="button" data-testid="stop-button" onClick={onStop} className="rounded-xl bg-zinc-900 px-4 py-2 text-sm font-medium text-white dark:bg-zinc-100 dark:text-zinc-900">
              Stop
            </button>
          ) : (
            <button
              type="button"
              data-testid="send-button"
              onClick={submit}
              disabled={!canSend}
              className="rounded-xl bg-sky-600 px-4 py-2 text-sm font-medium text-white hover:bg-sky-700 disabled:cursor-not-allowed disabled:opacity-40"
            >
              {uploading ? 'Uploading…' : 'Send'}
            </button>
          )}
        </div>
        <p className="mt-1.5 text-xs text-zinc-500 dark:text-zinc-400" data-testid="composer-estimate">
          {images.length > 0 && model
            ? `${images.length} image${images.length > 1 ? 's' : ''} ≈ ${
                tiled.length > 0
                  ? `${formatCount(tiledTokens)} input tokens${costOf(model, tiledTokens)} with fine detail · ${formatCount(totalTokens)}${costOf(model, totalTokens)} without`
                  : `${formatCount(totalTokens)} input tokens${costOf(model, totalTokens)}`
              }${mediaCount ? ` · ${mediaCount}` : ''}`
            : mediaCount && model
              ? mediaCount
              : busy
                ? 'Esc stops the answer; what was written so far is kept.'
                : 'Enter to send, Shift+Enter for a new line. Drop or paste images, videos or recordings anywhere.'}
        </p>
      </div>
    </div>
  );
}

/** e.g. " ($0.00025)"; nothing when the model's price is unknown. */
function costOf(model: ModelSpec, tokens: number): string {
  return model.price ? ` (${formatUsd((tokens * model.price.input) / 1e6)})` : '';
}

/** Why the attached files cannot be compared yet, or null when they can. */
function compareBlocker(attachments: Attachment[], images: number, ready: number): string | null {
  const { min, max } = COMPARE_IMAGES;
  if (attachments.some((a) => a.kind !== 'image')) return 'Only images can be compared: remove the videos and recordings first.';
  if (attachments.some((a) => a.state === 'uploading' || a.state === 'waiting')) return 'Wait for the uploads to finish.';
  if (ready < attachments.length) return 'Remove the images that failed to upload first.';
  if (images < min) return `Comparing takes ${min} to ${max} images; ${images} attached. Attach another, or select one in the conversation.`;
  if (images > max) return `Comparing takes ${min} to ${max} images; ${images} attached. Remove ${images - max}.`;
  return null;
}
