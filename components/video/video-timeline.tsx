'use client';

import { useRef } from 'react';
import { useActiveRowInView } from '@/components/video/active-row';
import { formatClockRange } from '@/components/video/timestamps';
import type { VideoView } from '@/components/video/video-api';

/**
 * One row per scene; the one playing is highlighted and kept in view inside the list (never the page).
 * Each new `reveal` (a count, from a cited time on a shared page) brings the active row into view on
 * the page too, and focuses it.
 */
export function VideoTimeline(props: { scenes: VideoView['scenes']; activeIndex: number; onSeek: (startMs: number) => void; reveal?: number }) {
  const { scenes, activeIndex, onSeek, reveal = 0 } = props;
  const list = useRef<HTMLOListElement>(null);
  useActiveRowInView(list, activeIndex, reveal);

  if (scenes.length === 0) return <p className="text-sm text-zinc-500 dark:text-zinc-400">No scenes were found in this video.</p>;

  return (
    <ol ref={list} data-testid="video-timeline" aria-label="Scenes" className="relative -mx-1 flex max-h-80 flex-col gap-1 overflow-y-auto overscroll-contain px-1">
      {scenes.map((scene, index) => {
        const active = index === activeIndex;
        return (
          <li key={scene.index}>
            <button
              type="button"
              data-testid="video-scene"
              data-start-ms={scene.startMs}
              data-active={active}
              aria-current={active ? 'time' : undefined}
              onClick={() => onSeek(scene.startMs)}
              className={`flex w-full items-start gap-3 rounded-lg p-1.5 text-left focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 ${
                active ? 'bg-sky-100 dark:bg-sky-950' : 'hover:bg-zinc-100 dark:hover:bg-zinc-800'
              }`}
            >
              {/* eslint-disable-next-line @next/next/no-img-element -- served by our authorizing route, not optimizable */}
              <img src={scene.thumbUrl} alt="" loading="lazy" className="aspect-video w-20 shrink-0 rounded-md bg-zinc-200 object-cover sm:w-24 dark:bg-zinc-800" />
              <span className="min-w-0 flex-1">
                <span className={`block font-mono text-xs tabular-nums ${active ? 'text-sky-800 dark:text-sky-300' : 'text-zinc-500 dark:text-zinc-400'}`}>
                  {formatClockRange(scene.startMs, scene.endMs)}
                </span>
                <span className="block text-sm break-words">{scene.caption ?? <span className="text-zinc-500">No description</span>}</span>
                {scene.speech && (
                  <span data-testid="video-scene-speech" className="mt-0.5 line-clamp-3 block text-xs break-words text-zinc-600 italic dark:text-zinc-400">
                    “{scene.speech}”
                  </span>
                )}
              </span>
            </button>
          </li>
        );
      })}
    </ol>
  );
}
