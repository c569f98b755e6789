'use client';

import type { ReactNode } from 'react';
import { formatClock } from '@/components/video/timestamps';
import { useHasVideoPlayer, useVideoPlayers } from '@/components/video/video-players';

/** A time the model cited, as a button that plays the conversation's video from there. */
export function TimestampLink({ seconds, children }: { seconds: number; children: ReactNode }) {
  const players = useVideoPlayers();
  const hasPlayer = useHasVideoPlayer();
  // Without a video to play (a shared page, or an answer about images) it reads as the model wrote it.
  if (!players || !hasPlayer || !Number.isFinite(seconds)) return <>[{children}]</>;
  const at = formatClock(seconds * 1000);
  return (
    <button
      type="button"
      data-testid="timestamp-link"
      data-seconds={seconds}
      title={`Play the video from ${at}`}
      onClick={(e) => players.seek(seconds, e.currentTarget)}
      className="inline-flex items-baseline gap-0.5 rounded bg-sky-100 px-1 font-medium tabular-nums text-sky-800 hover:bg-sky-200 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:bg-sky-950 dark:text-sky-300 dark:hover:bg-sky-900"
    >
      <svg width="10" height="10" viewBox="0 0 24 24" fill="currentColor" aria-hidden className="self-center">
        <path d="M7 4v16l13-8z" />
      </svg>
      <span className="sr-only">Play the video from </span>
      {children}
    </button>
  );
}
