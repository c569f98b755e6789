import type { UploadedVideo } from '@/lib/uploads/video';
import { sharedVideoUrl, type VideoView } from '@/lib/video/view';
import { isTerminal, type VideoJobEvent } from '@/components/video/job';

export type { UploadedVideo, VideoView };

const unreachable = 'Could not reach the server. Check your connection and try again.';

/** Failures throw the route's JSON body as the message, for `readableError`, like the image upload does. */
async function jsonOf<T>(request: Promise<Response>): Promise<T> {
  const res = await request.catch(() => {
    throw new Error(unreachable);
  });
  if (!res.ok) throw new Error((await res.text()) || `Request failed (HTTP ${res.status})`);
  return (await res.json()) as T;
}

export const fetchVideo = (mediaId: string) => jsonOf<VideoView>(fetch(`/api/videos/${mediaId}`, { cache: 'no-store' }));

/** A video of a shared conversation, through its link: the timeline and poster, no stream. */
export const fetchSharedVideo = (token: string, mediaId: string) => jsonOf<VideoView>(fetch(sharedVideoUrl(token, mediaId), { cache: 'no-store' }));

export const videoAction = (mediaId: string, action: 'cancel' | 'retry') =>
  jsonOf<VideoView>(fetch(`/api/videos/${mediaId}/${action}`, { method: 'POST' }));

export function eventOf({ job, scenes }: VideoView): VideoJobEvent {
  return { status: job.status, stage: job.stage, progress: job.progress, error: job.error, scenes: scenes.length };
}

/**
 * Follows a video's processing. The server ends the stream after a terminal status; it is closed here
 * too, or EventSource would reconnect and replay it. `onGone` is called when the stream fails for good
 * (an HTTP error rather than a dropped connection, which EventSource retries by itself).
 */
export function watchVideoJob(mediaId: string, handlers: { onEvent: (event: VideoJobEvent) => void; onGone: () => void }): () => void {
  const source = new EventSource(`/api/videos/${mediaId}/events`);
  source.onmessage = (message) => {
    const event = JSON.parse(message.data as string) as VideoJobEvent;
    if (isTerminal(event.status)) source.close();
    handlers.onEvent(event);
  };
  source.onerror = () => {
    if (source.readyState === EventSource.CLOSED) handlers.onGone();
  };
  return () => source.close();
}
