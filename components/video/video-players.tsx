'use client';

import { createContext, useContext, useState, useSyncExternalStore, type ReactNode } from 'react';

/**
 * The conversation's mounted video players, so a timestamp in an answer can play the video it is about:
 * the nearest player above the timestamp (the video the question was asked about), else the latest one.
 */
export interface VideoPlayers {
  /** Returns the unregister function; pass it as a ref callback's cleanup. */
  register: (player: HTMLVideoElement) => () => void;
  /** Plays the player nearest above `from` from `seconds`, scrolled into view. */
  seek: (seconds: number, from?: Element) => void;
  subscribe: (listener: () => void) => () => void;
  count: () => number;
}

function createVideoPlayers(): VideoPlayers {
  const players = new Set<HTMLVideoElement>();
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((listener) => listener());

  return {
    register(player) {
      players.add(player);
      changed();
      return () => {
        players.delete(player);
        changed();
      };
    },
    seek(seconds, from) {
      const inOrder = [...players].sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
      const above = from ? inOrder.findLast((p) => p.compareDocumentPosition(from) & Node.DOCUMENT_POSITION_FOLLOWING) : undefined;
      const target = above ?? inOrder.at(-1);
      if (!target) return;
      playFrom(target, seconds);
      const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
      target.scrollIntoView({ block: 'center', behavior: reduceMotion ? 'auto' : 'smooth' });
      // Keyboard users land on the player, where Space pauses it.
      target.focus({ preventScroll: true });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    count: () => players.size,
  };
}

export function playFrom(player: HTMLVideoElement, seconds: number) {
  player.currentTime = seconds;
  // Refused only by autoplay rules, which a click satisfies; the seek stands either way.
  void player.play().catch(() => undefined);
}

const VideoPlayersContext = createContext<VideoPlayers | null>(null);

export function VideoPlayersProvider({ children }: { children: ReactNode }) {
  const [players] = useState(createVideoPlayers);
  return <VideoPlayersContext value={players}>{children}</VideoPlayersContext>;
}

/** Null outside a chat (shared and admin pages), where timestamps stay plain text. */
export const useVideoPlayers = () => useContext(VideoPlayersContext);

const noSubscription = () => () => undefined;

export function useHasVideoPlayer(): boolean {
  const players = useVideoPlayers();
  return useSyncExternalStore(
    players?.subscribe ?? noSubscription,
    () => (players?.count() ?? 0) > 0,
    () => false,
  );
}
