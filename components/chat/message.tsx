'use client';

import { memo, useState } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import type { ModelSpec } from '@/lib/ai/catalog';
import { comparisonAsText, type ComparedImage } from '@/lib/chat/comparison-schema';
import { textOfParts, tiledMediaIds, type ChatMessage, type TileProgress } from '@/lib/chat/types';
import { formatCount, formatMs, formatUsd } from '@/components/ui/format';
import { readableError } from '@/components/chat/errors';
import { ComparisonTable } from '@/components/chat/comparison-table';
import { TimestampLink } from '@/components/video/timestamp-link';
import { linkTimestamps } from '@/components/video/timestamps';
import { ProgressBar } from '@/components/video/progress-bar';
import { AudioAttachment } from '@/components/audio/audio-attachment';
import { SharedAudio } from '@/components/audio/shared-audio';
import { SharedVideo } from '@/components/video/shared-video';
import { VideoAttachment } from '@/components/video/video-attachment';
import { audioSourceOf, videoSourceOf, type MediaOrigin } from '@/components/video/video-source';

const textOf = (message: ChatMessage) => textOfParts(message.parts);

/** A thinking model's reasoning: shown folded above the answer, never part of it (nor copied with it). */
const reasoningOf = (message: ChatMessage) =>
  message.parts
    .flatMap((p) => (p.type === 'reasoning' ? [p.text] : []))
    .join('\n\n')
    .trim();

function Thinking({ text, thinking }: { text: string; thinking: boolean }) {
  return (
    <details data-testid="message-thinking" className="group max-w-full rounded-xl border border-zinc-200 text-sm dark:border-zinc-800">
      <summary className="cursor-pointer select-none px-3 py-1.5 text-zinc-500 marker:text-zinc-400 hover:text-zinc-800 focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-zinc-400 dark:hover:text-zinc-200">
        {thinking ? 'Thinking…' : 'Thinking'}
      </summary>
      <div data-testid="message-thinking-text" className="max-h-80 overflow-y-auto whitespace-pre-wrap border-t border-zinc-200 px-3 py-2 text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
        {text}
      </div>
    </details>
  );
}

const comparisonOf = (message: ChatMessage) => message.parts.findLast((p) => p.type === 'data-comparison')?.data;

/** Lets the owner pick images already in the conversation for the next message (to compare them). */
export interface ImagePicker {
  isPicked: (url: string) => boolean;
  toggle: (image: { url: string; mediaType: string; filename?: string }) => void;
}

export function UserMessage({ message, picker }: { message: ChatMessage; picker?: ImagePicker }) {
  const files = message.parts.filter((p) => p.type === 'file');
  // Videos and recordings get their player, timeline or transcript: the owner's own (/api/media/<id>),
  // or read-only on a shared page (/share/<token>/media/<id>) and in the admin console (/admin/media/<id>).
  const videos: (MediaOrigin & { filename?: string })[] = [];
  const recordings: (MediaOrigin & { filename?: string })[] = [];
  const images: typeof files = [];
  for (const part of files) {
    const video = videoSourceOf(part);
    const audio = video ? null : audioSourceOf(part);
    if (video) videos.push({ ...video, filename: part.filename });
    else if (audio) recordings.push({ ...audio, filename: part.filename });
    else images.push(part);
  }
  const text = textOf(message);
  // The media id ends every form of an image's URL: the owner's, a share link's and the admin's.
  const tiled = new Set(tiledMediaIds(message.parts));
  return (
    <div data-testid="message-user" className="flex flex-col items-end gap-2">
      {videos.map((video) =>
        video.kind === 'own' ? (
          <VideoAttachment key={video.mediaId} mediaId={video.mediaId} filename={video.filename} />
        ) : (
          <SharedVideo key={video.mediaId} viewUrl={video.viewUrl} filename={video.filename} />
        ),
      )}
      {recordings.map((recording) =>
        recording.kind === 'own' ? (
          <AudioAttachment key={recording.mediaId} mediaId={recording.mediaId} filename={recording.filename} />
        ) : (
          <SharedAudio key={recording.mediaId} viewUrl={recording.viewUrl} filename={recording.filename} />
        ),
      )}
      {images.length > 0 && (
        <div className="flex flex-wrap justify-end gap-2">
          {images.map((image) => (
            <div key={image.url} className="group relative">
              <a href={image.url} target="_blank" rel="noreferrer" className="block">
                {/* eslint-disable-next-line @next/next/no-img-element -- served by our authorizing route, not optimizable */}
                <img
                  src={image.url}
                  alt={image.filename ?? 'Attached image'}
                  data-testid="message-image"
                  // A long screenshot would be a sliver: it shows at least 6 rem wide, from its top.
                  className="h-32 w-auto min-w-24 max-w-56 rounded-xl border border-zinc-200 object-cover object-top dark:border-zinc-800"
                />
              </a>
              {tiled.has(image.url.split('/').at(-1)!) && (
                <span
                  data-testid="fine-detail-badge"
                  title="Read in overlapping tiles at full resolution (fine detail)"
                  className="pointer-events-none absolute left-1.5 top-1.5 whitespace-nowrap rounded-full bg-black/60 px-2 py-0.5 text-xs font-medium text-white"
                >
                  Fine detail
                </span>
              )}
              {picker && <PickButton picked={picker.isPicked(image.url)} filename={image.filename} onClick={() => picker.toggle(image)} />}
            </div>
          ))}
        </div>
      )}
      {text && <div className="max-w-[85%] whitespace-pre-wrap rounded-2xl bg-zinc-100 px-4 py-2.5 dark:bg-zinc-800">{text}</div>}
    </div>
  );
}

/**
 * Model output is untrusted (an image can carry a prompt injection): links open apart from the app
 * and images are never fetched, since a URL like `https://evil/?q=<conversation>` would leak it.
 */
const markdownComponents: Components = {
  // `#t=` links are the time citations linkTimestamps made: they seek a video or recording, they never navigate.
  a: ({ href, children }) =>
    href?.startsWith('#t=') ? (
      <TimestampLink seconds={Number(href.slice(3))}>{children}</TimestampLink>
    ) : (
      <a href={href} target="_blank" rel="noopener noreferrer nofollow">
        {children}
      </a>
    ),
  img: ({ src, alt }) => (
    <span data-testid="blocked-image" className="text-zinc-500">
      [image not loaded{alt ? `: ${alt}` : ''}{typeof src === 'string' ? ` — ${src}` : ''}]
    </span>
  ),
};

const Markdown = memo(function Markdown({ text }: { text: string }) {
  return (
    <div data-testid="message-markdown" className="markdown leading-relaxed">
      <ReactMarkdown remarkPlugins={[remarkGfm]} components={markdownComponents}>
        {linkTimestamps(text)}
      </ReactMarkdown>
    </div>
  );
});

function PickButton({ picked, filename, onClick }: { picked: boolean; filename?: string; onClick: () => void }) {
  return (
    <button
      type="button"
      data-testid="pick-image"
      aria-pressed={picked}
      aria-label={`${picked ? 'Unselect' : 'Select'} ${filename ?? 'this image'} for the next message, e.g. to compare it`}
      title={picked ? 'Selected for the next message' : 'Select for the next message (to compare it with others)'}
      onClick={onClick}
      className={`absolute bottom-1.5 right-1.5 rounded-full px-2 py-0.5 text-xs font-medium shadow-sm transition-opacity focus-visible:opacity-100 focus-visible:outline-2 focus-visible:outline-sky-500 ${
        picked ? 'bg-sky-600 text-white' : 'bg-black/60 text-white opacity-0 group-hover:opacity-100 pointer-coarse:opacity-100 hover:bg-black/80'
      }`}
    >
      {picked ? '✓ Selected' : '+ Select'}
    </button>
  );
}

export function AssistantMessage(props: {
  message: ChatMessage;
  models: ModelSpec[];
  isLast: boolean;
  streaming: boolean;
  liveError: Error | undefined;
  /** The question's images when it asked for a comparison (comparedImagesOf), else null. */
  comparedImages?: ComparedImage[] | null;
  /** The question's tiles read so far, while this answer waits for them (fine detail). */
  tileProgress?: TileProgress | null;
  onRetry?: () => void;
}) {
  const { message, models, isLast, streaming, liveError, comparedImages, tileProgress, onRetry } = props;
  const meta = message.metadata ?? {};
  const text = textOf(message);
  const reasoning = reasoningOf(message);
  const errorText = liveError ? readableError(liveError) : meta.status === 'error' ? meta.error : undefined;
  const stillWriting = streaming || meta.status === 'streaming';
  const comparison = comparisonOf(message);
  // Only a complete table is shown once writing ends: a stopped or failed one would claim more than it has.
  const table = comparison && comparison.state !== 'error' && (comparison.state === 'complete' || (stillWriting && !errorText)) ? comparison : null;

  return (
    <div data-testid="message-assistant" data-status={stillWriting ? 'streaming' : (meta.status ?? 'complete')} className="flex flex-col gap-2">
      {reasoning && <Thinking text={reasoning} thinking={stillWriting && !text && !table} />}
      {table ? (
        <ComparisonTable data={table} images={comparedImages ?? []} />
      ) : text ? (
        <Markdown text={text} />
      ) : stillWriting && !errorText && !reasoning ? (
        tileProgress ? (
          <TilesBeingRead {...tileProgress} />
        ) : (
          <p className="text-sm text-zinc-500">{comparedImages ? 'Comparing…' : 'Writing…'}</p>
        )
      ) : null}
      {meta.status === 'stopped' && !streaming && <p className="text-xs text-zinc-500">Stopped before the end.</p>}
      {errorText && (
        <div role="alert" data-testid="message-error" className="rounded-xl border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200">
          {errorText}
        </div>
      )}
      {!stillWriting && <MessageFooter message={message} models={models} canRegenerate={isLast} hasError={Boolean(errorText)} onRetry={onRetry} />}
    </div>
  );
}

function TilesBeingRead({ read, total }: TileProgress) {
  return (
    <div role="status" data-testid="tile-progress" data-read={read} data-total={total} className="flex max-w-xs flex-col gap-1.5 text-sm text-zinc-500 dark:text-zinc-400">
      <span>{read < total ? `Reading part ${read + 1} of ${total} in fine detail…` : `Read all ${total} parts; writing the answer…`}</span>
      <ProgressBar value={read / total} label="Parts of the image read" testId="tile-progress-bar" className="bg-zinc-200 dark:bg-zinc-800" />
    </div>
  );
}

function MessageFooter(props: { message: ChatMessage; models: ModelSpec[]; canRegenerate: boolean; hasError: boolean; onRetry?: () => void }) {
  const { message, models, canRegenerate, hasError, onRetry } = props;
  const meta = message.metadata ?? {};
  const [copied, setCopied] = useState(false);
  const comparison = comparisonOf(message);
  const copyText = comparison?.state === 'complete' ? comparisonAsText(comparison) : textOf(message);
  const label = meta.modelLabel ?? models.find((m) => m.id === meta.modelId)?.label ?? meta.modelId;
  const facts = [
    label,
    meta.inputTokens !== undefined && meta.outputTokens !== undefined
      ? `${formatCount(meta.inputTokens)} in · ${formatCount(meta.outputTokens)} out${meta.reasoningTokens ? ` (${formatCount(meta.reasoningTokens)} thinking)` : ''}`
      : null,
    meta.costUsd === null ? 'price unknown' : meta.costUsd !== undefined ? formatUsd(meta.costUsd) : null,
    meta.latencyMs !== undefined ? formatMs(meta.latencyMs) : null,
  ].filter(Boolean);

  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-zinc-500 dark:text-zinc-400">
      <span data-testid="message-meta">{facts.join(' · ')}</span>
      {meta.cached && (
        <span data-testid="cached-badge" title="Answered from the cache: same images, question, context and model" className="rounded-full bg-emerald-100 px-2 py-0.5 font-medium text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300">
          cached
        </span>
      )}
      {copyText && (
        <button
          type="button"
          className="hover:text-zinc-900 dark:hover:text-zinc-100"
          onClick={async () => {
            await navigator.clipboard?.writeText(copyText);
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      )}
      {canRegenerate && onRetry && (
        <button type="button" data-testid={hasError ? 'retry-button' : 'regenerate-button'} onClick={onRetry} className="hover:text-zinc-900 dark:hover:text-zinc-100">
          {hasError ? 'Retry' : 'Regenerate'}
        </button>
      )}
    </div>
  );
}
