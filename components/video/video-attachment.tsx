'use client';

import { useState } from 'react';
import { VideoTranscript } from '@/components/transcript/video-transcript';
import { ShareMediaButton } from '@/components/share/share-dialog';
import { ProcessingPanel } from '@/components/video/processing-panel';
import { useVideo } from '@/components/video/use-video';
import { VideoPlayer } from '@/components/video/video-player';
import { playFrom } from '@/components/video/video-players';
import { VideoTimeline } from '@/components/video/video-timeline';
import { VideoSummary } from '@/components/video/video-summary';
import { VideoTitle } from '@/components/video/video-title';

/** A video in a sent message: the player, then its processing or, once done, its summary, timeline and transcript. */
export function VideoAttachment({ mediaId, filename }: { mediaId: string; filename?: string }) {
  const { video, requestError, acting, cancel, retry } = useVideo(mediaId);
  const [player, setPlayer] = useState<HTMLVideoElement | null>(null);
  const [activeIndex, setActiveIndex] = useState(-1);

  const name = video?.filename ?? filename ?? 'Video';
  const scenes = video?.scenes ?? [];

  return (
    <figure data-testid="video-attachment" className="w-full max-w-xl overflow-hidden rounded-2xl border border-zinc-200 bg-white text-left dark:border-zinc-800 dark:bg-zinc-900">
      {video ? (
        <VideoPlayer video={video} label={name} onActiveIndex={setActiveIndex} onPlayer={setPlayer} />
      ) : (
        !requestError && <div data-testid="video-loading" className="aspect-video w-full animate-pulse bg-zinc-200 dark:bg-zinc-800" />
      )}
      <div className="flex flex-col gap-3 p-3">
        <figcaption className="flex items-center gap-2 text-sm">
          <span className="min-w-0 flex-1">
            <VideoTitle name={name} durationMs={video?.durationMs ?? null} />
          </span>
          {video?.job.status === 'succeeded' && <ShareMediaButton mediaId={mediaId} noun="video" />}
        </figcaption>
        {requestError && (
          <p role="alert" data-testid="video-request-error" className="text-sm text-red-700 dark:text-red-400">
            {requestError}
          </p>
        )}
        {video &&
          (video.job.status === 'succeeded' ? (
            <>
              <VideoSummary summary={video.job.summary} />
              <VideoTimeline
                scenes={scenes}
                activeIndex={activeIndex}
                onSeek={(startMs) => player && playFrom(player, startMs / 1000)}
              />
              <VideoTranscript video={video} player={player} />
            </>
          ) : (
            <ProcessingPanel job={video.job} acting={acting} onCancel={cancel} onRetry={retry} />
          ))}
      </div>
    </figure>
  );
}
