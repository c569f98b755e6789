'use client';

import { useEffect } from 'react';
import type { ChatStatus } from 'ai';
import type { ChatMessage } from '@/lib/chat/types';

const POLL_MS = 1000;

/**
 * After a reload mid-answer the stream is gone but the server is still writing. Poll the stored
 * conversation until the answer is no longer "streaming".
 */
export function useCatchUp(
  id: string,
  messages: ChatMessage[],
  setMessages: (messages: ChatMessage[]) => void,
  status: ChatStatus,
) {
  const last = messages.at(-1);
  const waiting = status === 'ready' && last?.role === 'assistant' && last.metadata?.status === 'streaming';

  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(async () => {
      const res = await fetch(`/api/conversations/${id}`).catch(() => null);
      if (!res?.ok) return;
      const data = (await res.json()) as { messages: ChatMessage[] };
      if (data.messages.at(-1)?.metadata?.status !== 'streaming') setMessages(data.messages);
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [waiting, id, setMessages]);
}
