'use client';

import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { APICallError, type ChatStatus } from 'ai';
import type { ChatMessage } from '@/lib/chat/types';

/** Waits before each attempt to reattach: about 15 s in all before saying the connection is lost. */
const REATTACH_DELAYS_MS = [1_000, 2_000, 4_000, 8_000];
const POLL_MS = 1_000;

/** `live`: nothing lost (or nothing to lose); `reconnecting`: trying to reattach; `lost`: gave up until Retry. */
export type Connection = 'live' | 'reconnecting' | 'lost';

/**
 * The answer's response broke (what fetch throws when the network fails: the AI SDK's own test for
 * keeping a stream resumable), or reattaching to it failed in a way worth retrying (a 503). A
 * model's error arrives in the stream as a plain Error and is the answer's own to show.
 */
const isConnectionFailure = (error: Error | undefined) =>
  (error instanceof TypeError && /fetch|network|load failed/i.test(error.message)) || (APICallError.isInstance(error) && error.isRetryable);

function subscribeOnline(onChange: () => void) {
  window.addEventListener('online', onChange);
  window.addEventListener('offline', onChange);
  return () => {
    window.removeEventListener('online', onChange);
    window.removeEventListener('offline', onChange);
  };
}

/** Whether the browser thinks it has a network. */
function useOnline(): boolean {
  return useSyncExternalStore(subscribeOnline, () => navigator.onLine, () => true);
}

/**
 * Keeps the page with the answer being written, which the server finishes whatever happens to its
 * response. When the response breaks mid-answer, reattach to it (GET /api/chat/[id]/stream, which
 * replays it from the start) a few times with growing waits, at once when the network comes back,
 * and not at all while offline; then report it lost until `retry`. When nothing is left to reattach
 * to (204: the answer was stored meanwhile, or is being written by a server that cannot share it)
 * or after a reload the stored conversation is read until the answer is finished.
 */
export function useCatchUp(input: {
  id: string;
  messages: ChatMessage[];
  setMessages: (messages: ChatMessage[]) => void;
  status: ChatStatus;
  error: Error | undefined;
  resumeStream: () => Promise<void>;
}): { connection: Connection; online: boolean; retry: () => void } {
  const { id, messages, setMessages, status, error, resumeStream } = input;
  const last = messages.at(-1);
  const answering = last?.role === 'assistant' && last.metadata?.status === 'streaming';
  const online = useOnline();
  const [connection, setConnection] = useState<Connection>('live');
  const attempts = useRef(0);

  // Once reconnecting, any failed attempt counts.
  const cut = status === 'error' && answering && (connection !== 'live' || isConnectionFailure(error));

  const reattach = useCallback(() => {
    attempts.current += 1;
    void resumeStream();
  }, [resumeStream]);

  const offlineDuringCut = useRef(false);
  useEffect(() => {
    if (!cut) {
      attempts.current = 0;
      setConnection('live');
      return;
    }
    if (!online) {
      // Attempts now would fail for nothing: wait for the network instead.
      offlineDuringCut.current = true;
      setConnection((now) => (now === 'lost' ? now : 'reconnecting'));
      return;
    }
    // Back online: a fresh round of attempts, the first at once (also after giving up).
    const backOnline = offlineDuringCut.current;
    offlineDuringCut.current = false;
    if (backOnline) attempts.current = 0;
    if (attempts.current >= REATTACH_DELAYS_MS.length) {
      setConnection('lost');
      return;
    }
    setConnection('reconnecting');
    const timer = setTimeout(reattach, backOnline ? 0 : REATTACH_DELAYS_MS[attempts.current]);
    return () => clearTimeout(timer);
    // `error` changes with each failed attempt, which schedules the next.
  }, [cut, error, online, reattach]);

  const retry = useCallback(() => {
    attempts.current = 0;
    setConnection('reconnecting');
    reattach();
  }, [reattach]);

  // Nothing to reattach to, yet the answer is not finished here: read it where it is stored.
  const waiting = status === 'ready' && answering;
  useEffect(() => {
    if (!waiting) return;
    let stopped = false;
    async function poll() {
      const res = await fetch(`/api/conversations/${id}`).catch(() => null);
      const data = res?.ok ? ((await res.json()) as { messages: ChatMessage[] }) : null;
      if (stopped) return;
      if (data && data.messages.at(-1)?.metadata?.status !== 'streaming') setMessages(data.messages);
      else timer = setTimeout(poll, POLL_MS);
    }
    let timer = setTimeout(poll, 0);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [waiting, id, setMessages]);

  return { connection, online, retry };
}
