'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { AudioView } from '@/components/audio/audio-api';
import { citedStart } from '@/components/transcript/lines';
import { playFrom, useVideoPlayers } from '@/components/video/video-players';

/**
 * A recording's waveform. With a player, the part played so far is shaded and a click on the
 * picture plays from there (a pointer shortcut: the player's own controls do it by keyboard).
 */
export function Waveform({ src, player, durationMs }: { src: string; player: HTMLMediaElement | null; durationMs: number }) {
  const [played, setPlayed] = useState(0);

  useEffect(() => {
    if (!player) return;
    const update = () => {
      const total = Number.isFinite(player.duration) && player.duration > 0 ? player.duration : durationMs / 1000;
      setPlayed(total > 0 ? Math.min(1, player.currentTime / total) : 0);
    };
    const events = ['timeupdate', 'seeked', 'durationchange'] as const;
    events.forEach((name) => player.addEventListener(name, update));
    return () => events.forEach((name) => player.removeEventListener(name, update));
  }, [player, durationMs]);

  const seek = (clientX: number, box: DOMRect) => {
    if (!player || box.width <= 0) return;
    const total = Number.isFinite(player.duration) && player.duration > 0 ? player.duration : durationMs / 1000;
    playFrom(player, Math.max(0, Math.min(1, (clientX - box.left) / box.width)) * total);
  };

  return (
    <div
      aria-hidden
      data-testid="audio-waveform"
      onClick={player ? (e) => seek(e.clientX, e.currentTarget.getBoundingClientRect()) : undefined}
      className={`relative h-16 overflow-hidden rounded-lg bg-zinc-100 sm:h-20 dark:bg-zinc-800/70 ${player ? 'cursor-pointer' : ''}`}
    >
      {/* eslint-disable-next-line @next/next/no-img-element -- served by our authorizing route, not optimizable */}
      <img src={src} alt="" draggable={false} className="absolute inset-0 h-full w-full object-fill opacity-80 select-none dark:opacity-90" />
      {player && played > 0 && (
        <div className="pointer-events-none absolute inset-y-0 left-0 border-r-2 border-sky-500 bg-sky-500/15 dark:bg-sky-400/20" style={{ width: `${played * 100}%` }} />
      )}
    </div>
  );
}

/**
 * A recording's player, the owner's and a shared page's alike: registered with the conversation's
 * players while mounted, so a time cited in an answer plays it (from the transcript line starting in
 * that second, as with a video's scenes).
 */
export function AudioPlayer(props: {
  audio: AudioView;
  /** Its accessible name: the file's name. */
  label: string;
  /** Called with the element once mounted and with null when it goes: for the transcript to follow and seek it. */
  onPlayer?: (element: HTMLAudioElement | null) => void;
}) {
  const { audio, label, onPlayer } = props;
  const players = useVideoPlayers();
  const [element, setElement] = useState<HTMLAudioElement | null>(null);
  // Read when a time is cited, so a reloaded view does not register the player again.
  const lines = useRef(audio.transcript?.segments ?? []);
  lines.current = audio.transcript?.segments ?? [];

  const attach = useCallback(
    (node: HTMLAudioElement) => {
      setElement(node);
      onPlayer?.(node);
      const unregister = players?.register(node, undefined, (seconds) => citedStart(lines.current, seconds));
      return () => {
        setElement(null);
        onPlayer?.(null);
        unregister?.();
      };
    },
    [players, onPlayer],
  );

  return (
    <div className="flex flex-col gap-2">
      <Waveform src={audio.waveformUrl} player={element} durationMs={audio.durationMs} />
      <audio
        ref={attach}
        data-testid="audio-player"
        src={audio.streamUrl ?? undefined}
        controls
        preload="metadata"
        aria-label={label}
        className="block h-10 w-full rounded-lg focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500"
      />
    </div>
  );
}
