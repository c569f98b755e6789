'use client';

import { createContext, useContext, useState, useSyncExternalStore, type ReactNode } from 'react';

/**
 * What a timestamp in an answer can go to: a player (a video's or a recording's), which plays from
 * there, or a timeline or transcript without a player (a shared page before its playback copy
 * exists), which shows the scene or line at that time.
 */
export type SeekMode = 'play' | 'show';

/**
 * The conversation's mounted players (`<video>` and `<audio>`) and timelines, so a timestamp in an
 * answer goes to the video or recording it is about: the nearest one above the timestamp (the one the
 * question was asked about), else the latest.
 */
export interface VideoPlayers {
  /**
   * A player (any media element), or (with `show`) another element standing for a video or recording,
   * such as a shared page's timeline. `resolve` turns a cited second into the time to play from (the
   * scene or line it names may start mid-second).
   * Returns the unregister function; pass it as a ref callback's or effect's cleanup.
   */
  register: (target: HTMLElement, show?: (seconds: number) => void, resolve?: (seconds: number) => number) => () => void;
  /** Goes to `seconds` in the video or recording nearest above `from`: a player plays from there, scrolled into view. */
  seek: (seconds: number, from?: Element) => void;
  subscribe: (listener: () => void) => () => void;
  count: () => number;
  /** `play` when any registered video or recording has a player, else `show` when any is registered, else null. */
  mode: () => SeekMode | null;
}

function createVideoPlayers(): VideoPlayers {
  const targets = new Map<HTMLElement, ((seconds: number) => void) | undefined>();
  const resolvers = new Map<HTMLElement, (seconds: number) => number>();
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((listener) => listener());

  return {
    register(target, show, resolve) {
      targets.set(target, show);
      if (resolve) resolvers.set(target, resolve);
      changed();
      return () => {
        targets.delete(target);
        resolvers.delete(target);
        changed();
      };
    },
    seek(seconds, from) {
      const inOrder = [...targets.keys()].sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
      const above = from ? inOrder.findLast((t) => t.compareDocumentPosition(from) & Node.DOCUMENT_POSITION_FOLLOWING) : undefined;
      const target = above ?? inOrder.at(-1);
      if (!target) return;
      const show = targets.get(target);
      if (show) return show(seconds);
      if (!(target instanceof HTMLMediaElement)) return;
      playFrom(target, resolvers.get(target)?.(seconds) ?? seconds);
      target.scrollIntoView({ block: 'center', behavior: scrollBehavior() });
      // Keyboard users land on the player, where Space pauses it.
      target.focus({ preventScroll: true });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    count: () => targets.size,
    mode() {
      if (targets.size === 0) return null;
      return [...targets.values()].some((show) => !show) ? 'play' : 'show';
    },
  };
}

export const scrollBehavior = (): ScrollBehavior => (window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth');

export function playFrom(player: HTMLMediaElement, seconds: number) {
  player.currentTime = seconds;
  // Refused only by autoplay rules, which a click satisfies; the seek stands either way.
  void player.play().catch(() => undefined);
}

const VideoPlayersContext = createContext<VideoPlayers | null>(null);

export function VideoPlayersProvider({ children }: { children: ReactNode }) {
  const [players] = useState(createVideoPlayers);
  return <VideoPlayersContext value={players}>{children}</VideoPlayersContext>;
}

/** Null outside a chat or shared page (the admin's), where timestamps stay plain text. */
export const useVideoPlayers = () => useContext(VideoPlayersContext);

const noSubscription = () => () => undefined;

/** What a timestamp would do now: play a video or recording, show a scene or line, or nothing (null). */
export function useSeekMode(): SeekMode | null {
  const players = useVideoPlayers();
  return useSyncExternalStore(
    players?.subscribe ?? noSubscription,
    () => players?.mode() ?? null,
    () => null,
  );
}

