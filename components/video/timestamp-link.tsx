'use client';

import type { ReactNode } from 'react';
import { formatClock } from '@/components/video/timestamps';
import { useSeekMode, useVideoPlayers } from '@/components/video/video-players';

/**
 * A time the model cited, as a button: where there is a player it plays the video or recording the
 * answer is about from there; on a shared page without one it shows the scene or transcript line at that time.
 */
export function TimestampLink({ seconds, children }: { seconds: number; children: ReactNode }) {
  const players = useVideoPlayers();
  const mode = useSeekMode();
  // Without a video or recording to go to (an answer about images, the admin's view) it reads as the model wrote it.
  if (!players || !mode || !Number.isFinite(seconds)) return <>[{children}]</>;
  const at = formatClock(seconds * 1000);
  const action = mode === 'play' ? 'Play from ' : 'Show the moment at ';
  return (
    <button
      type="button"
      data-testid="timestamp-link"
      data-seconds={seconds}
      data-mode={mode}
      title={`${action}${at}`}
      onClick={(e) => players.seek(seconds, e.currentTarget)}
      className="inline-flex items-baseline gap-0.5 rounded bg-sky-100 px-1 font-medium tabular-nums text-sky-800 hover:bg-sky-200 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:bg-sky-950 dark:text-sky-300 dark:hover:bg-sky-900"
    >
      {mode === 'play' ? (
        <svg width="10" height="10" viewBox="0 0 24 24" fill="currentColor" aria-hidden className="self-center">
          <path d="M7 4v16l13-8z" />
        </svg>
      ) : (
        <svg width="10" height="10" viewBox="0 0 24 24" fill="currentColor" aria-hidden className="self-center">
          <path d="M3 5h4v4H3zm6 1h12v2H9zM3 15h4v4H3zm6 1h12v2H9z" />
        </svg>
      )}
      <span className="sr-only">{action}</span>
      {children}
    </button>
  );
}
