'use client';

import type { ChatStatus } from 'ai';
import { useEffect, useRef } from 'react';
import type { ModelSpec } from '@/lib/ai/catalog';
import { comparedImagesOf } from '@/lib/chat/comparison-schema';
import type { ChatMessage, TileProgress } from '@/lib/chat/types';
import { AssistantMessage, UserMessage, type ImagePicker } from '@/components/chat/message';
import { readableError } from '@/components/chat/errors';

export function MessageList(props: {
  messages: ChatMessage[];
  status: ChatStatus;
  error: Error | undefined;
  models: ModelSpec[];
  onRetry: (messageId?: string) => void;
  picker?: ImagePicker;
  /** The tiles of the question being answered, read so far (fine detail). */
  tileProgress?: TileProgress | null;
}) {
  const { messages, status, error, models, onRetry, picker, tileProgress } = props;
  const bottom = useRef<HTMLDivElement>(null);
  const busy = status === 'submitted' || status === 'streaming';

  useEffect(() => {
    bottom.current?.scrollIntoView({ block: 'end' });
  }, [messages, status]);

  if (messages.length === 0) return <EmptyState />;

  const last = messages.at(-1)!;
  // A failure before any answer began has no assistant message to hang on: show it on its own. An
  // answer that failed before its first word but says so (fine detail's tiles) shows it itself.
  const orphanError =
    error && (last.role === 'user' || status === 'error') && !(last.role === 'assistant' && (last.parts.length > 0 || last.metadata?.status === 'error'));

  return (
    <div className="min-h-0 flex-1 overflow-y-auto" data-testid="messages">
      <div className="mx-auto flex max-w-3xl flex-col gap-6 px-4 py-6">
        {messages.map((message, index) =>
          message.role === 'user' ? (
            <UserMessage key={message.id} message={message} picker={busy ? undefined : picker} />
          ) : (
            <AssistantMessage
              key={message.id}
              message={message}
              models={models}
              isLast={index === messages.length - 1}
              streaming={busy && index === messages.length - 1}
              liveError={index === messages.length - 1 && !orphanError ? error : undefined}
              comparedImages={comparedImagesOf(messages[index - 1])}
              tileProgress={index === messages.length - 1 ? tileProgress : null}
              onRetry={busy ? undefined : () => onRetry(message.id)}
            />
          ),
        )}
        {status === 'submitted' && !tileProgress && (
          <div data-testid="thinking" className="flex items-center gap-2 text-sm text-zinc-500">
            <span className="inline-block size-2 animate-pulse rounded-full bg-sky-500" /> Thinking…
          </div>
        )}
        {orphanError && (
          <div role="alert" data-testid="chat-error" className="rounded-xl border border-red-300 bg-red-50 p-4 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200">
            <p>{readableError(error)}</p>
            <button type="button" data-testid="retry-button" onClick={() => onRetry(last.role === 'assistant' ? last.id : undefined)} className="mt-2 rounded-lg bg-red-700 px-3 py-1.5 text-white hover:bg-red-800">
              Retry
            </button>
          </div>
        )}
        <div ref={bottom} />
      </div>
    </div>
  );
}

function EmptyState() {
  return (
    <div className="flex flex-1 items-center justify-center p-6">
      <div data-testid="empty-state" className="max-w-md text-center">
        <h1 className="text-2xl font-semibold tracking-tight">What do you want to know about your images, videos or recordings?</h1>
        <p className="mt-3 text-zinc-500 dark:text-zinc-400">
          Drop photos, videos or recordings anywhere on this page, paste them, or use the paperclip. Ask a question and the answer streams in; answers about a video or a recording link to the moments they mention, and recordings come with a transcript you can translate and download as subtitles.
        </p>
      </div>
    </div>
  );
}
