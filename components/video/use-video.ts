'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { readableError } from '@/components/chat/errors';
import { isActive, isTerminal } from '@/components/video/job';
import { fetchVideo, videoAction, watchVideoJob, type VideoView } from '@/components/video/video-api';

/**
 * A video's processing and timeline: loaded once, then followed on the events stream while the job
 * runs. Events carry only the job's state; the timeline is fetched again when the scene count changes
 * and when the job ends (for the summary and final captions).
 */
export function useVideo(mediaId: string) {
  const [video, setVideo] = useState<VideoView | null>(null);
  const [requestError, setRequestError] = useState<string | null>(null);
  const [acting, setActing] = useState(false);
  // Responses can arrive out of order (a reload racing a retry): only the latest request's answer counts.
  const latest = useRef(0);
  const sceneCount = useRef(0);
  sceneCount.current = video?.scenes.length ?? 0;

  const apply = useCallback(async (request: () => Promise<VideoView>) => {
    const ticket = ++latest.current;
    try {
      const view = await request();
      if (ticket !== latest.current) return;
      setVideo(view);
      setRequestError(null);
    } catch (error) {
      if (ticket === latest.current) setRequestError(readableError(error as Error));
    }
  }, []);

  const load = useCallback(() => apply(() => fetchVideo(mediaId)), [apply, mediaId]);

  useEffect(() => {
    void load();
  }, [load]);

  const following = video !== null && isActive(video.job.status);
  useEffect(() => {
    if (!following) return;
    return watchVideoJob(mediaId, {
      onEvent: (event) => {
        const { scenes, ...job } = event;
        if (isTerminal(job.status) || scenes !== sceneCount.current) {
          sceneCount.current = scenes;
          void load();
        }
        // A terminal state waits for that reload, so the summary and the last captions arrive with it.
        if (!isTerminal(job.status)) setVideo((v) => v && { ...v, job: { ...v.job, ...job } });
      },
      onGone: () => void load(),
    });
  }, [following, mediaId, load]);

  const act = async (action: 'cancel' | 'retry') => {
    setActing(true);
    await apply(() => videoAction(mediaId, action));
    setActing(false);
  };

  return { video, requestError, acting, cancel: () => act('cancel'), retry: () => act('retry') };
}
