'use client';

import { useEffect, useRef, useState } from 'react';
import { VideoTranscript } from '@/components/transcript/video-transcript';
import { ProcessingPanel } from '@/components/video/processing-panel';
import { citedScene, sceneAt } from '@/components/video/timestamps';
import { useSharedVideo } from '@/components/video/use-video';
import { VideoPlayer } from '@/components/video/video-player';
import { playFrom, useVideoPlayers } from '@/components/video/video-players';
import { VideoTimeline } from '@/components/video/video-timeline';
import { VideoSummary } from '@/components/video/video-summary';
import { VideoTitle } from '@/components/video/video-title';

/**
 * A video on a shared page, read-only: the summary, the timeline and the transcript (downloads, no
 * new translations), no cancel or retry. Once its metadata-free playback copy exists (`streamUrl`;
 * viewers never get the original's bytes) it has the owner's player, and a time cited in an answer,
 * a scene or a transcript line chosen plays it from there. Until then its poster stands in, and a
 * cited time shows the scene it falls in.
 */
export function SharedVideo({ viewUrl, filename }: { viewUrl: string; filename?: string }) {
  const { video, requestError } = useSharedVideo(viewUrl);
  const players = useVideoPlayers();
  const figure = useRef<HTMLElement>(null);
  const [player, setPlayer] = useState<HTMLVideoElement | null>(null);
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
        <VideoPlayer video={video} label={name} onActiveIndex={setActiveIndex} onPlayer={setPlayer} />
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
              <VideoSummary summary={video.job.summary} />
              {/* Choosing a scene plays it, or without a player just marks it. */}
              <VideoTimeline
                scenes={scenes}
                activeIndex={activeIndex}
                reveal={reveal}
                onSeek={(startMs) => (player ? playFrom(player, startMs / 1000) : setActiveIndex(sceneAt(scenes, startMs)))}
              />
              <VideoTranscript video={video} player={playable ? player : null} />
            </>
          ) : (
            <ProcessingPanel job={video.job} />
          ))}
      </div>
    </figure>
  );
}
