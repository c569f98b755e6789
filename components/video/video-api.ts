import type { AudioView } from '@/lib/audio/view';
import type { UploadedAudio } from '@/lib/uploads/audio';
import type { UploadedVideo } from '@/lib/uploads/video';
import { sharedVideoUrl, type VideoView } from '@/lib/video/view';
import { isTerminal, type JobEvent, type VideoJobEvent } from '@/components/video/job';

export type { AudioView, UploadedAudio, UploadedVideo, VideoView };

const unreachable = 'Could not reach the server. Check your connection and try again.';

/** Failures throw the route's JSON body as the message, for `readableError`, like the image upload does. */
export async function jsonOf<T>(request: Promise<Response>): Promise<T> {
  const res = await request.catch(() => {
    throw new Error(unreachable);
  });
  if (!res.ok) throw new Error((await res.text()) || `Request failed (HTTP ${res.status})`);
  return (await res.json()) as T;
}

export interface JobWatchHandlers<E extends JobEvent> {
  onEvent: (event: E) => void;
  onGone: () => void;
}

/**
 * Follows a job's progress on its events stream. The server ends the stream after a terminal status;
 * it is closed here too, or EventSource would reconnect and replay it. `onGone` is called when the
 * stream fails for good (an HTTP error rather than a dropped connection, which EventSource retries by itself).
 */
export function watchJobEvents<E extends JobEvent>(eventsUrl: string, handlers: JobWatchHandlers<E>): () => void {
  const source = new EventSource(eventsUrl);
  source.onmessage = (message) => {
    const event = JSON.parse(message.data as string) as E;
    if (isTerminal(event.status)) source.close();
    handlers.onEvent(event);
  };
  source.onerror = () => {
    if (source.readyState === EventSource.CLOSED) handlers.onGone();
  };
  return () => source.close();
}

/**
 * The routes of something processed in the background, under `base` (`/api/videos`, `/api/audio`):
 * `GET <id>` its view, `POST <id>/cancel|retry`, `GET <id>/events` its progress.
 */
export function jobRoutes<View, E extends JobEvent>(base: string) {
  const eventsUrl = (mediaId: string) => `${base}/${mediaId}/events`;
  return {
    fetch: (mediaId: string) => jsonOf<View>(fetch(`${base}/${mediaId}`, { cache: 'no-store' })),
    action: (mediaId: string, action: 'cancel' | 'retry') => jsonOf<View>(fetch(`${base}/${mediaId}/${action}`, { method: 'POST' })),
    eventsUrl,
    watch: (mediaId: string, handlers: JobWatchHandlers<E>) => watchJobEvents<E>(eventsUrl(mediaId), handlers),
  };
}

const videos = jobRoutes<VideoView, VideoJobEvent>('/api/videos');

export const fetchVideo = videos.fetch;

/** A video of a shared conversation, through its link: the timeline and poster, no stream. */
/** A video or recording shown read-only (a shared page, the admin console), from its view URL. */
export const fetchReadonlyView = <V>(viewUrl: string) => jsonOf<V>(fetch(viewUrl, { cache: 'no-store' }));

export const videoAction = videos.action;

/** Follows a video's processing (see `watchJobEvents`). */
export const watchVideoJob = videos.watch;

export function eventOf({ job, scenes }: VideoView): VideoJobEvent {
  return { ...audioEventOf({ job }), scenes: scenes.length };
}

/** A recording's routes (`/api/audio/<id>`): its view (transcription job, transcript), cancel/retry, events (no scenes). */
export const recordingRoutes = jobRoutes<AudioView, JobEvent>('/api/audio');

export function audioEventOf({ job }: Pick<AudioView, 'job'>): JobEvent {
  return { status: job.status, stage: job.stage, progress: job.progress, error: job.error, retry: job.retry, retries: job.retries };
}
