'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { readableError } from '@/components/chat/errors';
import { isActive, isTerminal, type JobEvent, type VideoJobEvent } from '@/components/video/job';
import { fetchReadonlyView, fetchVideo, videoAction, watchJobEvents, type VideoView } from '@/components/video/video-api';
import type { VideoJobView } from '@/lib/video/view';

/** How the owner's view of one kind of processed upload (a video, a recording) is fetched and acted on. */
export interface ProcessedMediaApi<V extends { job: VideoJobView }, E extends JobEvent> {
  fetch: (mediaId: string) => Promise<V>;
  action: (mediaId: string, action: 'cancel' | 'retry') => Promise<V>;
  eventsUrl: (mediaId: string) => string;
  /**
   * Something events count that only a fresh view shows (a video's scenes so far): the view is
   * fetched again whenever an event's count differs from the last one seen.
   */
  count?: { ofView: (view: V) => unknown; ofEvent: (event: E) => unknown };
}

/**
 * An upload's processing and results, the owner's: loaded once, then followed on the events stream
 * while the job runs. Events carry only the job's state; the view is fetched again when the job ends
 * (for its results) and when `api.count` says there is more to show. `api` should be a constant.
 */
export function useProcessedMedia<V extends { job: VideoJobView }, E extends JobEvent>(api: ProcessedMediaApi<V, E>, mediaId: string) {
  const [view, setView] = useState<V | null>(null);
  const [requestError, setRequestError] = useState<string | null>(null);
  const [acting, setActing] = useState(false);
  // Responses can arrive out of order (a reload racing a retry): only the latest request's answer counts.
  const latest = useRef(0);
  const seenCount = useRef<unknown>(undefined);

  const apply = useCallback(
    async (request: () => Promise<V>) => {
      const ticket = ++latest.current;
      try {
        const next = await request();
        if (ticket !== latest.current) return;
        if (api.count) seenCount.current = api.count.ofView(next);
        setView(next);
        setRequestError(null);
      } catch (error) {
        if (ticket === latest.current) setRequestError(readableError(error as Error));
      }
    },
    [api],
  );

  const load = useCallback(() => apply(() => api.fetch(mediaId)), [apply, api, mediaId]);

  useEffect(() => {
    void load();
  }, [load]);

  const following = view !== null && isActive(view.job.status);
  useEffect(() => {
    if (!following) return;
    return watchJobEvents<E>(api.eventsUrl(mediaId), {
      onEvent: (event) => {
        const { status, stage, progress, error } = event;
        const count = api.count?.ofEvent(event);
        if (isTerminal(status) || (api.count && count !== seenCount.current)) {
          seenCount.current = count;
          void load();
        }
        // A terminal state waits for that reload, so the results arrive with it.
        if (!isTerminal(status)) setView((v) => v && { ...v, job: { ...v.job, status, stage, progress, error } });
      },
      onGone: () => void load(),
    });
  }, [following, api, mediaId, load]);

  const act = async (action: 'cancel' | 'retry') => {
    setActing(true);
    await apply(() => api.action(mediaId, action));
    setActing(false);
  };

  return { view, requestError, acting, cancel: () => act('cancel'), retry: () => act('retry') };
}

/** How often a shared upload still processing when it was shared is looked at again (no events stream there). */
const POLL_MS = 5000;

/**
 * A shared upload's view, through the link; polled while its job is still running. `fetchView`
 * should be a constant.
 */
export function useSharedMedia<V extends { job: VideoJobView }>(fetchView: (viewUrl: string) => Promise<V>, viewUrl: string) {
  const [view, setView] = useState<V | null>(null);
  const [requestError, setRequestError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setView(await fetchView(viewUrl));
      setRequestError(null);
    } catch (error) {
      setRequestError(readableError(error as Error));
    }
  }, [fetchView, viewUrl]);

  useEffect(() => {
    void load();
  }, [load]);

  // Still polled after a failed look: one network glitch must not freeze it.
  const waiting = view !== null && isActive(view.job.status);
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [waiting, load]);

  return { view, requestError };
}

const videoApi: ProcessedMediaApi<VideoView, VideoJobEvent> = {
  fetch: fetchVideo,
  action: videoAction,
  eventsUrl: (mediaId) => `/api/videos/${mediaId}/events`,
  // Scenes appear as their frames are chosen, before the job ends.
  count: { ofView: (video) => video.scenes.length, ofEvent: (event) => event.scenes },
};

/** A video's processing and timeline, the owner's. */
export function useVideo(mediaId: string) {
  const { view, ...rest } = useProcessedMedia(videoApi, mediaId);
  return { video: view, ...rest };
}

/** A shared video's timeline, poster and (once it exists) playback copy. */
export function useSharedVideo(viewUrl: string) {
  const { view, requestError } = useSharedMedia<VideoView>(fetchReadonlyView, viewUrl);
  return { video: view, requestError };
}
