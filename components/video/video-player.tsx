'use client';

import { useCallback, useRef } from 'react';
import { citedStart } from '@/components/transcript/lines';
import { sceneAt } from '@/components/video/timestamps';
import type { VideoView } from '@/components/video/video-api';
import { useVideoPlayers } from '@/components/video/video-players';

/**
 * A video's player, the owner's and a shared page's alike: registered with the conversation's players
 * while mounted, so a cited time plays it, and reporting which of the video's scenes is playing.
 */
export function VideoPlayer(props: {
  video: VideoView;
  /** Its accessible name: the file's name. */
  label: string;
  /** The index in `video.scenes` of the scene at the playing time (-1 before the first). */
  onActiveIndex: (index: number) => void;
  /** Called with the element once mounted and with null when it goes: for the timeline and transcript to seek it. */
  onPlayer?: (element: HTMLVideoElement | null) => void;
}) {
  const { video, label, onActiveIndex, onPlayer } = props;
  const players = useVideoPlayers();
  // Read when a time is cited, so a reloaded view (new captions) does not register the player again.
  const scenes = useRef(video.scenes);
  scenes.current = video.scenes;

  // A ref callback with cleanup (React 19): the player is seekable from answers only while mounted.
  const attach = useCallback(
    (element: HTMLVideoElement) => {
      onPlayer?.(element);
      // "[00:01]" for a scene starting at 1.32 s means that scene: play from its start, not from 1.00 s.
      const unregister = players?.register(element, undefined, (seconds) => citedStart(scenes.current, seconds));
      return () => {
        onPlayer?.(null);
        unregister?.();
      };
    },
    [players, onPlayer],
  );

  return (
    <video
      ref={attach}
      data-testid="video-player"
      src={video.streamUrl ?? undefined}
      poster={video.posterUrl}
      controls
      playsInline
      preload="metadata"
      aria-label={label}
      onTimeUpdate={(e) => onActiveIndex(sceneAt(video.scenes, e.currentTarget.currentTime * 1000))}
      style={video.width > 0 && video.height > 0 ? { aspectRatio: `${video.width} / ${video.height}` } : undefined}
      className="block max-h-[70vh] w-full bg-black object-contain"
    />
  );
}
