'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChatUploadLimits } from '@/lib/chat/page-data';
import { mediaIdFromUrl } from '@/lib/chat/types';
import { readableError } from '@/components/chat/errors';
import type { UploadedImage } from '@/lib/uploads/image';
import { fileKind, mayBeSoundOnly, noTranscription, noTranscriptionNotice, sizeError, type FileKind } from '@/components/chat/file-kind';
import { UploadQueue } from '@/components/chat/upload-queue';
import { uploadWithProgress } from '@/components/chat/upload-request';
import { queuedJob, type JobEvent, type ProcessedKind } from '@/components/video/job';
import {
  audioEventOf,
  eventOf,
  fetchVideo,
  recordingRoutes,
  videoAction,
  watchVideoJob,
  type JobWatchHandlers,
  type UploadedAudio,
  type UploadedVideo,
} from '@/components/video/video-api';

export type { UploadedAudio, UploadedImage, UploadedVideo };
export type Uploaded = UploadedImage | UploadedVideo | UploadedAudio;

export interface Attachment {
  localId: string;
  kind: FileKind;
  filename: string;
  /** A local object URL, so an image's or video's thumbnail shows before the upload finishes; null for a recording. */
  previewUrl: string | null;
  progress: number;
  /** `waiting`: in line for the upload queue; `ready`: uploaded (a video or recording may still be processing). */
  state: 'waiting' | 'uploading' | 'ready' | 'error';
  error?: string;
  uploaded?: Uploaded;
  /** A video's or recording's processing once uploaded; it can only be sent when this has succeeded. */
  job?: StagedJob;
  /** An image already in the conversation, picked again (to compare it): nothing to upload or withdraw. */
  fromChat?: boolean;
}

/** Thumbnails of new files are object URLs of their own; a picked image shows its message's. */
const releasePreview = (a: Attachment) => a.previewUrl && !a.fromChat && URL.revokeObjectURL(a.previewUrl);

/** A job's state as its events stream says it; a video's also counts its scenes. */
export type StagedJob = JobEvent & { scenes?: number };

/** Uploads at once: more would only split the line between them (the rest wait their turn). */
const PARALLEL_UPLOADS = 3;

function uploadImage(file: File, onProgress: (fraction: number) => void) {
  const form = new FormData();
  form.append('file', file);
  return uploadWithProgress<UploadedImage>({ method: 'POST', url: '/api/uploads', body: form }, onProgress);
}

/** Videos and recordings go as the raw body: they can be gigabytes, and the routes stream them to disk. */
function uploadRaw<T>(route: 'video' | 'audio', file: File, onProgress: (fraction: number) => void) {
  const url = `/api/uploads/${route}?filename=${encodeURIComponent(file.name)}`;
  return uploadWithProgress<T>({ method: 'PUT', url, body: file, contentType: file.type || 'application/octet-stream' }, onProgress);
}

/**
 * With Vercel Blob the browser sends a video or recording to the store itself, then asks the server
 * to take it in (validate, record, queue): a 2 GB file never passes through a serverless function.
 */
function uploadDirect<T>(route: 'video' | 'audio', file: File, onProgress: (fraction: number) => void) {
  const controller = new AbortController();
  const promise = (async () => {
    const { upload: uploadToBlob } = await import('@vercel/blob/client');
    const target = await fetch(`/api/uploads/${route}/token`);
    if (!target.ok) throw new Error(await target.text());
    const { pathname } = (await target.json()) as { pathname: string };
    await uploadToBlob(pathname, file, {
      access: 'private',
      handleUploadUrl: `/api/uploads/${route}/token`,
      contentType: file.type || 'application/octet-stream',
      multipart: file.size > 100 * 1024 * 1024,
      abortSignal: controller.signal,
      onUploadProgress: ({ percentage }) => onProgress(percentage / 100),
    });
    const done = await fetch(`/api/uploads/${route}/blob`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pathname, filename: file.name }),
    });
    if (done.status !== 201) throw new Error(await done.text());
    return (await done.json()) as T;
  })().catch((error: unknown) => {
    throw controller.signal.aborted ? new Error('aborted') : error;
  });
  return { promise, abort: () => controller.abort() };
}

/**
 * Whether a media file has no picture (a WebM made by a voice recorder), from its metadata in a
 * detached video element; null when this browser cannot tell (it cannot read the container).
 */
function hasNoPicture(file: File): Promise<boolean | null> {
  return new Promise((resolve) => {
    const element = document.createElement('video');
    const url = URL.createObjectURL(file);
    const done = (answer: boolean | null) => {
      clearTimeout(timer);
      element.onloadedmetadata = element.onerror = null;
      element.removeAttribute('src');
      URL.revokeObjectURL(url);
      resolve(answer);
    };
    const timer = setTimeout(() => done(null), 5000);
    element.muted = true;
    element.preload = 'metadata';
    element.onloadedmetadata = () => done(element.videoWidth === 0 && element.videoHeight === 0);
    element.onerror = () => done(null);
    element.src = url;
  });
}

/** Each processed kind's routes, as the chips need them: follow the job, fetch its state, retry it. */
const processing: Record<
  ProcessedKind,
  { watch: (mediaId: string, handlers: JobWatchHandlers<StagedJob>) => () => void; fetchEvent: (mediaId: string) => Promise<StagedJob>; retry: (mediaId: string) => Promise<StagedJob> }
> = {
  video: { watch: watchVideoJob, fetchEvent: (id) => fetchVideo(id).then(eventOf), retry: (id) => videoAction(id, 'retry').then(eventOf) },
  audio: {
    watch: recordingRoutes.watch,
    fetchEvent: (id) => recordingRoutes.fetch(id).then(audioEventOf),
    retry: (id) => recordingRoutes.action(id, 'retry').then(audioEventOf),
  },
};

export function useAttachments(limits: ChatUploadLimits) {
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  /** What to stop when an attachment goes: its place in line, its upload while it runs, then its progress stream. */
  const stops = useRef(new Map<string, () => void>());
  const queue = useRef(new UploadQueue(PARALLEL_UPLOADS));
  const current = useRef(attachments);
  current.current = attachments;
  const count = useRef(0);
  count.current = attachments.filter((a) => a.state !== 'error').length;

  const update = (localId: string, patch: Partial<Attachment>) =>
    setAttachments((list) => list.map((a) => (a.localId === localId ? { ...a, ...patch } : a)));

  const stop = (localId: string) => {
    stops.current.get(localId)?.();
    stops.current.delete(localId);
  };

  const watch = useCallback((localId: string, kind: ProcessedKind, mediaId: string) => {
    const routes = processing[kind];
    stops.current.set(
      localId,
      routes.watch(mediaId, {
        onEvent: (job) => update(localId, { job }),
        // The stream was refused: the job's own state says why (or that the file is gone).
        onGone: () =>
          void routes.fetchEvent(mediaId).then(
            (job) => update(localId, { job }),
            (error: Error) => update(localId, { state: 'error', error: readableError(error) }),
          ),
      }),
    );
  }, []);

  /** One file's turn in the upload queue: the upload, then (a video, a recording) following its processing. */
  const send = useCallback(
    async (localId: string, file: File, planned: FileKind) => {
      let left = false;
      stops.current.set(localId, () => {
        left = true;
      });
      let kind = planned;
      // A WebM or Ogg "video" that turns out to be sound only goes to the recordings route.
      if (kind === 'video' && mayBeSoundOnly(file) && (await hasNoPicture(file))) {
        if (left) return;
        kind = 'audio';
        const preview = current.current.find((a) => a.localId === localId)?.previewUrl;
        if (preview) URL.revokeObjectURL(preview);
        const refused = limits.transcription ? sizeError(file, kind, limits) : noTranscription;
        if (refused) return update(localId, { kind, previewUrl: null, state: 'error', error: refused });
        update(localId, { kind, previewUrl: null });
      }
      if (left) return;
      update(localId, { state: 'uploading' });
      const onProgress = (progress: number) => update(localId, { progress });
      const { promise, abort } =
        kind === 'image'
          ? uploadImage(file, onProgress)
          : (limits.directUploads ? uploadDirect : uploadRaw)<UploadedVideo | UploadedAudio>(kind, file, onProgress);
      stops.current.set(localId, abort);
      try {
        const uploaded = await promise;
        stops.current.delete(localId);
        if (kind === 'image') return update(localId, { state: 'ready', progress: 1, uploaded });
        update(localId, { state: 'ready', progress: 1, uploaded, job: queuedJob });
        watch(localId, kind, uploaded.id);
      } catch (error) {
        stops.current.delete(localId);
        if ((error as Error).message !== 'aborted') update(localId, { state: 'error', error: readableError(error as Error) });
      }
    },
    [limits, watch],
  );

  const add = useCallback(
    (files: File[]) => {
      const notices: string[] = [];
      let accepted = files;
      // Said at once rather than after each upload is refused; the upload route still has the last word.
      if (!limits.transcription) {
        const recordings = files.filter((file) => fileKind(file) === 'audio');
        if (recordings.length > 0) {
          notices.push(noTranscriptionNotice(recordings.map((file) => file.name)));
          accepted = files.filter((file) => fileKind(file) !== 'audio');
        }
      }
      const room = Math.max(limits.maxPerMessage - count.current, 0);
      if (accepted.length > room) {
        const noun = accepted.every((file) => fileKind(file) === 'image') ? 'images' : 'files';
        notices.push(`You can attach up to ${limits.maxPerMessage} ${noun} per message; ${accepted.length - room} not added.`);
      }
      setNotice(notices.length > 0 ? notices.join(' ') : null);

      for (const file of accepted.slice(0, room)) {
        const localId = crypto.randomUUID();
        const kind = fileKind(file);
        const base: Attachment = {
          localId,
          kind,
          filename: file.name,
          previewUrl: kind === 'audio' ? null : URL.createObjectURL(file),
          progress: 0,
          state: 'waiting',
        };
        count.current += 1;
        const tooLarge = sizeError(file, kind, limits);
        if (tooLarge) {
          setAttachments((list) => [...list, { ...base, state: 'error', error: tooLarge }]);
          continue;
        }
        setAttachments((list) => [...list, base]);
        stops.current.set(localId, () => queue.current.drop(localId));
        queue.current.add(localId, () => send(localId, file, kind));
      }
    },
    [limits, send],
  );

  const remove = useCallback((localId: string) => {
    stop(localId);
    const target = current.current.find((a) => a.localId === localId);
    if (target) {
      releasePreview(target);
      // An uploaded but unsent file is withdrawn on the server too, so it leaves nothing behind.
      if (target.uploaded && !target.fromChat) void fetch(`/api/media/${target.uploaded.id}`, { method: 'DELETE' });
    }
    setAttachments((list) => list.filter((a) => a.localId !== localId));
    setNotice(null);
  }, []);

  /** Picks an image of the conversation for the next message, or puts it back when it was picked. */
  const toggleFromChat = useCallback(
    (image: { url: string; mediaType: string; filename?: string }) => {
      const picked = current.current.find((a) => a.fromChat && a.uploaded?.url === image.url);
      if (picked) return remove(picked.localId);
      const id = mediaIdFromUrl(image.url);
      if (!id) return;
      if (count.current >= limits.maxPerMessage) {
        setNotice(`You can attach up to ${limits.maxPerMessage} images per message; unselect one first.`);
        return;
      }
      count.current += 1;
      const filename = image.filename ?? 'image';
      // Its size is not known here, so it gets no token estimate (the server prepares it as any image).
      const uploaded: UploadedImage = { id, url: image.url, filename, mediaType: image.mediaType, bytes: 0, width: 0, height: 0 };
      setAttachments((list) => [...list, { localId: crypto.randomUUID(), kind: 'image', filename, previewUrl: image.url, progress: 1, state: 'ready', uploaded, fromChat: true }]);
    },
    [limits, remove],
  );

  /** Processes a video or recording again after it failed or was canceled; the server resumes where it stopped. */
  const retryVideo = useCallback(
    async (localId: string) => {
      const target = current.current.find((a) => a.localId === localId);
      if (!target?.uploaded || target.kind === 'image') return;
      const mediaId = target.uploaded.id;
      try {
        update(localId, { job: await processing[target.kind].retry(mediaId) });
        watch(localId, target.kind, mediaId);
      } catch (error) {
        setNotice(readableError(error as Error));
      }
    },
    [watch],
  );

  /** After sending: the files now belong to the message, so only local previews are released. */
  const clear = useCallback(() => {
    queue.current.clear();
    stops.current.forEach((stopOne) => stopOne());
    stops.current.clear();
    setAttachments((list) => {
      list.forEach(releasePreview);
      return [];
    });
    setNotice(null);
  }, []);

  useEffect(() => {
    const pending = stops.current;
    const line = queue.current;
    return () => {
      line.clear();
      pending.forEach((stopOne) => stopOne());
    };
  }, []);

  return { attachments, notice, add, remove, toggleFromChat, retryVideo, clear };
}
