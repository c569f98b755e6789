'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { readableError } from '@/components/chat/errors';
import { isActive } from '@/components/video/job';
import { ProcessingPanel } from '@/components/video/processing-panel';
import { citedScene, sceneAt } from '@/components/video/timestamps';
import { fetchSharedVideo, type VideoView } from '@/components/video/video-api';
import { VideoPlayer } from '@/components/video/video-player';
import { playFrom, useVideoPlayers } from '@/components/video/video-players';
import { VideoTimeline } from '@/components/video/video-timeline';
import { VideoTitle } from '@/components/video/video-title';

/** How often a video still processing when it was shared is looked at again (no events stream here). */
const POLL_MS = 5000;

/** A shared video's view, through the link; polled while its job is still running. */
function useSharedVideo(token: string, mediaId: string) {
  const [video, setVideo] = useState<VideoView | null>(null);
  const [requestError, setRequestError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setVideo(await fetchSharedVideo(token, mediaId));
      setRequestError(null);
    } catch (error) {
      setRequestError(readableError(error as Error));
    }
  }, [token, mediaId]);

  useEffect(() => {
    void load();
  }, [load]);

  const waiting = video !== null && isActive(video.job.status) && !requestError;
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [waiting, load]);

  return { video, requestError };
}

/**
 * A video on a shared page, read-only: the summary and the timeline, no cancel or retry. Once its
 * metadata-free playback copy exists (`streamUrl`; viewers never get the original's bytes) it has the
 * owner's player, and a time cited in an answer or a scene chosen plays it from there. Until then its
 * poster stands in, and a cited time shows the scene it falls in.
 */
export function SharedVideo({ token, mediaId, filename }: { token: string; mediaId: string; filename?: string }) {
  const { video, requestError } = useSharedVideo(token, mediaId);
  const players = useVideoPlayers();
  const figure = useRef<HTMLElement>(null);
  const player = useRef<HTMLVideoElement | null>(null);
  const [activeIndex, setActiveIndex] = useState(-1);
  const [reveal, setReveal] = useState(0);

  const name = video?.filename ?? filename ?? 'Video';
  const scenes = video?.job.status === 'succeeded' ? video.scenes : null;
  const playable = video?.streamUrl != null;

  // Without a player (which registers itself), answers' timestamps come here once there is a timeline to show them on.
  useEffect(() => {
    const element = figure.current;
    if (!players || !element || playable || !scenes || scenes.length === 0) return;
    return players.register(element, (seconds) => {
      setActiveIndex(citedScene(scenes, seconds));
      setReveal((n) => n + 1);
    });
  }, [players, playable, scenes]);

  return (
    <figure
      ref={figure}
      data-testid="shared-video"
      className="w-full max-w-xl overflow-hidden rounded-2xl border border-zinc-200 bg-white text-left dark:border-zinc-800 dark:bg-zinc-900"
    >
      {video && playable ? (
        <VideoPlayer video={video} label={name} onActiveIndex={setActiveIndex} playerRef={player} />
      ) : video ? (
        // eslint-disable-next-line @next/next/no-img-element -- served by the share link's route, not optimizable
        <img
          data-testid="video-poster"
          src={video.posterUrl}
          alt={name}
          style={video.width > 0 && video.height > 0 ? { aspectRatio: `${video.width} / ${video.height}` } : undefined}
          className="block max-h-[70vh] w-full bg-black object-contain"
        />
      ) : (
        !requestError && <div data-testid="video-loading" className="aspect-video w-full animate-pulse bg-zinc-200 dark:bg-zinc-800" />
      )}
      <div className="flex flex-col gap-3 p-3">
        <figcaption className="flex flex-col gap-0.5 text-sm">
          <VideoTitle name={name} durationMs={video?.durationMs ?? null} />
          {video && !playable && (
            <span data-testid="video-playback-note" className="text-xs text-zinc-500 dark:text-zinc-400">
              Playback is not available for this video yet; the timeline is.
            </span>
          )}
        </figcaption>
        {requestError && (
          <p role="alert" data-testid="video-request-error" className="text-sm text-red-700 dark:text-red-400">
            {requestError}
          </p>
        )}
        {video &&
          (scenes ? (
            <>
              {video.job.summary && (
                <details open data-testid="video-summary" className="rounded-lg bg-zinc-50 px-3 py-2 dark:bg-zinc-800/60">
                  <summary className="cursor-pointer text-sm font-medium select-none">Summary</summary>
                  <p className="mt-1.5 text-sm leading-relaxed whitespace-pre-wrap text-zinc-700 dark:text-zinc-300">{video.job.summary}</p>
                </details>
              )}
              {/* Choosing a scene plays it, or without a player just marks it. */}
              <VideoTimeline
                scenes={scenes}
                activeIndex={activeIndex}
                reveal={reveal}
                onSeek={(startMs) => (player.current ? playFrom(player.current, startMs / 1000) : setActiveIndex(sceneAt(scenes, startMs)))}
              />
            </>
          ) : (
            <ProcessingPanel job={video.job} />
          ))}
      </div>
    </figure>
  );
}
