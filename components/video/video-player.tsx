'use client';

import { useCallback, type RefObject } from 'react';
import { citedScene, sceneAt } from '@/components/video/timestamps';
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
  /** Set to the element while mounted, for the timeline to seek it. */
  playerRef?: RefObject<HTMLVideoElement | null>;
}) {
  const { video, label, onActiveIndex, playerRef } = props;
  const players = useVideoPlayers();

  // A ref callback with cleanup (React 19): the player is seekable from answers only while mounted.
  const attach = useCallback(
    (element: HTMLVideoElement) => {
      if (playerRef) playerRef.current = element;
      // "[00:01]" for a scene starting at 1.32 s means that scene: play from its start, not from 1.00 s.
      const unregister = players?.register(element, undefined, (seconds) => {
        const scene = video.scenes[citedScene(video.scenes, seconds)];
        return scene && Math.floor(scene.startMs / 1000) === seconds ? scene.startMs / 1000 : seconds;
      });
      return () => {
        if (playerRef) playerRef.current = null;
        unregister?.();
      };
    },
    [players, playerRef, video.scenes],
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
