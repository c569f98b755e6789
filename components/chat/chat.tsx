'use client';

import { useChat } from '@ai-sdk/react';
import { DefaultChatTransport } from 'ai';
import { useMemo, useRef, useState, type DragEvent } from 'react';
import type { ModelSpec } from '@/lib/ai/catalog';
import type { ChatUploadLimits } from '@/lib/chat/page-data';
import { isComparisonQuestion } from '@/lib/chat/comparison-schema';
import { textOfParts, tiledMediaIds, type ChatMessage, type TileProgress } from '@/lib/chat/types';
import type { Detail } from '@/lib/media/types';
import { Composer } from '@/components/chat/composer';
import { MessageList } from '@/components/chat/message-list';
import { ModelPicker } from '@/components/chat/model-picker';
import { SetupPanel } from '@/components/chat/setup-panel';
import { ShareButton } from '@/components/share/share-dialog';
import { useCatchUp } from '@/components/chat/use-catch-up';
import { ConnectionNotice } from '@/components/chat/connection-notice';
import { useAttachments, type Uploaded } from '@/components/chat/use-attachments';
import { VideoPlayersProvider } from '@/components/video/video-players';
import { announceConversationsChanged } from '@/components/sidebar/conversations-changed';
import { rejectionOf } from '@/components/chat/errors';

export interface ChatProps {
  id: string;
  initialMessages: ChatMessage[];
  isNew: boolean;
  models: ModelSpec[];
  modelId: string | null;
  limits: ChatUploadLimits;
}

export function Chat({ id, initialMessages, isNew, models, modelId: initialModelId, limits }: ChatProps) {
  const [modelId, setModelId] = useState(initialModelId);
  const [detail, setDetail] = useState<Detail>('auto');
  // The transport is created once; it reads the current picker values through this ref.
  const settings = useRef({ modelId, detail });
  settings.current = { modelId, detail };
  const started = useRef(!isNew);
  const lastTrigger = useRef<'submit' | 'retry'>('submit');

  const transport = useMemo(
    () =>
      new DefaultChatTransport<ChatMessage>({
        api: '/api/chat',
        prepareSendMessagesRequest: ({ id: chatId, messages, trigger, messageId }) => {
          if (trigger !== 'submit-message') return { body: { id: chatId, trigger, ...settings.current, messageId } };
          // The compare and fine-detail markers travel as fields; the server stores them on the question itself.
          const parts = messages.at(-1)?.parts ?? [];
          const mode = isComparisonQuestion(parts) ? 'compare' : 'answer';
          const tiles = tiledMediaIds(parts);
          return { body: { id: chatId, trigger, ...settings.current, mode, tiles, message: { parts: parts.filter((p) => p.type === 'text' || p.type === 'file') } } };
        },
      }),
    [],
  );

  const [draft, setDraft] = useState('');
  const [rejection, setRejection] = useState<string | null>(null);
  // How far the answer being written has read its question's tiles (fine detail); never stored.
  const [tileProgress, setTileProgress] = useState<TileProgress | null>(null);

  const { messages, setMessages, sendMessage, regenerate, stop, status, error, clearError, resumeStream } = useChat<ChatMessage>({
    id,
    messages: initialMessages,
    transport,
    // Opened (or reloaded) while an answer is being written: reattach to it (GET /api/chat/[id]/stream).
    resume: initialMessages.at(-1)?.metadata?.status === 'streaming',
    throttle: 50,
    // A broken connection is no news for the sidebar (and offline it could not reload the list).
    onFinish: ({ isDisconnect }) => !isDisconnect && announceConversationsChanged(),
    onData: (part) => part.type === 'data-tile-progress' && setTileProgress(part.data),
    // A new question the server refused was never stored: take it back out of the list and into the composer.
    onError: (failure) => {
      const reason = lastTrigger.current === 'submit' ? rejectionOf(failure) : null;
      if (!reason) return;
      setMessages((list) => {
        const last = list.at(-1);
        if (last?.role !== 'user') return list;
        setDraft(textOfParts(last.parts));
        setRejection(reason);
        if (list.length === 1) {
          // The conversation was never created: its address must not survive a reload either.
          started.current = false;
          window.history.replaceState(null, '', '/');
        }
        return list.slice(0, -1);
      });
    },
  });

  const { connection, online, retry: reconnect } = useCatchUp({ id, messages, setMessages, status, error, resumeStream });

  const files = useAttachments(limits);
  const picker = useMemo(
    () => ({ isPicked: (url: string) => files.attachments.some((a) => a.fromChat && a.uploaded?.url === url), toggle: files.toggleFromChat }),
    [files.attachments, files.toggleFromChat],
  );
  const [dragging, setDragging] = useState(false);
  // Reattaching to an answer is still waiting for it: no new question, and Stop stops it.
  const busy = status === 'submitted' || status === 'streaming' || connection === 'reconnecting';
  const model = models.find((m) => m.id === modelId) ?? null;

  async function send(text: string, attachments: Uploaded[], mode: 'answer' | 'compare', tiles: string[]) {
    clearError();
    setRejection(null);
    setTileProgress(null);
    lastTrigger.current = 'submit';
    if (!started.current) {
      started.current = true;
      // The address becomes the conversation's own, so a reload finds it.
      window.history.replaceState(null, '', `/c/${id}`);
    }
    files.clear();
    await sendMessage({
      parts: [
        ...attachments.map((a) => ({ type: 'file' as const, mediaType: a.mediaType, url: a.url, filename: a.filename })),
        ...(text ? [{ type: 'text' as const, text }] : []),
        // Shown as a comparison (the table's columns) from the moment it is sent.
        ...(mode === 'compare' ? [{ type: 'data-compare' as const, data: {} }] : []),
        ...(tiles.length > 0 ? [{ type: 'data-tiles' as const, data: { mediaIds: tiles } }] : []),
      ],
    });
  }

  async function stopAnswer() {
    stop();
    // Between reattach attempts nothing is in flight for stop() to end; this ends the attempts.
    clearError();
    await fetch(`/api/conversations/${id}/stop`, { method: 'POST' }).catch(() => undefined);
    announceConversationsChanged();
  }

  function retry(messageId?: string) {
    clearError();
    setTileProgress(null);
    lastTrigger.current = 'retry';
    void regenerate(messageId ? { messageId } : undefined);
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    const dropped = [...e.dataTransfer.files];
    if (dropped.length > 0) files.add(dropped);
  }

  if (models.length === 0) return <SetupPanel />;

  return (
    <div
      data-testid="drop-zone"
      className="relative flex h-full min-h-0 flex-col"
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => e.currentTarget === e.target && setDragging(false)}
      onDrop={onDrop}
    >
      {dragging && (
        <div className="pointer-events-none absolute inset-0 z-20 flex items-center justify-center border-2 border-dashed border-sky-500 bg-sky-500/10 text-lg font-medium text-sky-700 dark:text-sky-300">
          Drop images, videos or recordings to attach them
        </div>
      )}
      <header className="flex items-center gap-3 border-b border-zinc-200 px-4 py-2.5 pl-14 md:pl-4 dark:border-zinc-800">
        <ModelPicker models={models} modelId={modelId} onModelChange={setModelId} detail={detail} onDetailChange={setDetail} disabled={busy} />
        {/* The conversation exists once its first question is stored; a snapshot waits for the answer. */}
        {messages.length > 0 && <ShareButton conversationId={id} disabled={busy} />}
      </header>
      {/* Timestamps in answers play the conversation's videos. */}
      <VideoPlayersProvider>
        <MessageList
          messages={messages}
          status={status}
          // A broken connection is the notice's to tell, not an error of the answer.
          error={rejection || connection !== 'live' ? undefined : error}
          models={models}
          onRetry={retry}
          picker={picker}
          tileProgress={busy ? tileProgress : null}
        />
      </VideoPlayersProvider>
      <ConnectionNotice connection={connection} online={online} onRetry={reconnect} />
      <Composer
        model={model}
        detail={detail}
        attachments={files.attachments}
        notice={rejection ?? files.notice}
        text={draft}
        onTextChange={setDraft}
        onAddFiles={files.add}
        onRemove={files.remove}
        onRetryVideo={files.retryVideo}
        busy={busy}
        onSend={send}
        onStop={stopAnswer}
      />
    </div>
  );
}
