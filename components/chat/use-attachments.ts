'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChatUploadLimits } from '@/lib/chat/page-data';
import { formatBytes } from '@/lib/errors';
import { readableError } from '@/components/chat/errors';
import type { UploadedImage } from '@/lib/uploads/image';
import { queuedJob, type VideoJobEvent } from '@/components/video/job';
import { eventOf, fetchVideo, videoAction, watchVideoJob, type UploadedVideo } from '@/components/video/video-api';

export type { UploadedImage, UploadedVideo };
export type Uploaded = UploadedImage | UploadedVideo;

export interface Attachment {
  localId: string;
  kind: 'image' | 'video';
  filename: string;
  /** A local object URL, so the thumbnail shows before the upload finishes. */
  previewUrl: string;
  progress: number;
  state: 'uploading' | 'ready' | 'error';
  error?: string;
  uploaded?: Uploaded;
  /** A video's processing once uploaded; it can only be sent when this has succeeded. */
  job?: VideoJobEvent;
}

// Some systems give no MIME type for Matroska or AVI files; the extension is enough to pick the route.
const isVideoFile = (file: File) => file.type.startsWith('video/') || (!file.type && /\.(mp4|m4v|mov|webm|mkv|avi)$/i.test(file.name));

/** Uploads with XMLHttpRequest because fetch cannot report upload progress. */
function upload<T>(
  request: { method: 'POST' | 'PUT'; url: string; body: XMLHttpRequestBodyInit; contentType?: string },
  onProgress: (fraction: number) => void,
): { promise: Promise<T>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<T>((resolve, reject) => {
    xhr.open(request.method, request.url);
    if (request.contentType) xhr.setRequestHeader('Content-Type', request.contentType);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      if (xhr.status === 201) resolve(JSON.parse(xhr.responseText) as T);
      else reject(new Error(xhr.responseText || `Upload failed (HTTP ${xhr.status})`));
    };
    xhr.onerror = () => reject(new Error('The upload was interrupted. Check your connection and try again.'));
    xhr.onabort = () => reject(new Error('aborted'));
    xhr.send(request.body);
  });
  return { promise, abort: () => xhr.abort() };
}

function uploadImage(file: File, onProgress: (fraction: number) => void) {
  const form = new FormData();
  form.append('file', file);
  return upload<UploadedImage>({ method: 'POST', url: '/api/uploads', body: form }, onProgress);
}

/** Videos go as the raw body: they can be gigabytes, and the route streams them to disk. */
function uploadVideo(file: File, onProgress: (fraction: number) => void) {
  const url = `/api/uploads/video?filename=${encodeURIComponent(file.name)}`;
  return upload<UploadedVideo>({ method: 'PUT', url, body: file, contentType: file.type || 'application/octet-stream' }, onProgress);
}

/**
 * With Vercel Blob the browser sends the video to the store itself, then asks the server to take it
 * in (validate, record, queue): a 2 GB file never passes through a serverless function.
 */
function uploadVideoDirect(file: File, onProgress: (fraction: number) => void) {
  const controller = new AbortController();
  const promise = (async () => {
    const { upload: uploadToBlob } = await import('@vercel/blob/client');
    const target = await fetch('/api/uploads/video/token');
    if (!target.ok) throw new Error(await target.text());
    const { pathname } = (await target.json()) as { pathname: string };
    await uploadToBlob(pathname, file, {
      access: 'private',
      handleUploadUrl: '/api/uploads/video/token',
      contentType: file.type || 'application/octet-stream',
      multipart: file.size > 100 * 1024 * 1024,
      abortSignal: controller.signal,
      onUploadProgress: ({ percentage }) => onProgress(percentage / 100),
    });
    const done = await fetch('/api/uploads/video/blob', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pathname, filename: file.name }),
    });
    if (done.status !== 201) throw new Error(await done.text());
    return (await done.json()) as UploadedVideo;
  })().catch((error: unknown) => {
    throw controller.signal.aborted ? new Error('aborted') : error;
  });
  return { promise, abort: () => controller.abort() };
}

export function useAttachments(limits: ChatUploadLimits) {
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  /** What to stop when an attachment goes: its upload while it runs, then a video's progress stream. */
  const stops = useRef(new Map<string, () => void>());
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

  const watch = useCallback((localId: string, mediaId: string) => {
    stops.current.set(
      localId,
      watchVideoJob(mediaId, {
        onEvent: (job) => update(localId, { job }),
        // The stream was refused: the video's own state says why (or that it is gone).
        onGone: () =>
          void fetchVideo(mediaId).then(
            (view) => update(localId, { job: eventOf(view) }),
            (error: Error) => update(localId, { state: 'error', error: readableError(error) }),
          ),
      }),
    );
  }, []);

  const add = useCallback(
    (files: File[]) => {
      setNotice(null);
      const room = limits.maxPerMessage - count.current;
      if (files.length > room) {
        const noun = files.some(isVideoFile) ? 'files' : 'images';
        setNotice(`You can attach up to ${limits.maxPerMessage} ${noun} per message; ${files.length - Math.max(room, 0)} not added.`);
      }
      for (const file of files.slice(0, Math.max(room, 0))) {
        const localId = crypto.randomUUID();
        const kind = isVideoFile(file) ? 'video' : 'image';
        const base: Attachment = { localId, kind, filename: file.name, previewUrl: URL.createObjectURL(file), progress: 0, state: 'uploading' };
        count.current += 1;
        if (kind === 'video' && file.size > limits.maxVideoBytes) {
          setAttachments((list) => [...list, { ...base, state: 'error', error: `${file.name} is ${formatBytes(file.size)}; the limit is ${formatBytes(limits.maxVideoBytes)} per video.` }]);
          continue;
        }
        if (kind === 'image' && file.size > limits.maxBytes) {
          setAttachments((list) => [...list, { ...base, state: 'error', error: `${file.name} is ${formatBytes(file.size)}; the limit is ${formatBytes(limits.maxBytes)} per image.` }]);
          continue;
        }
        setAttachments((list) => [...list, base]);
        const onProgress = (progress: number) => update(localId, { progress });
        const sendVideo = limits.directVideoUploads ? uploadVideoDirect : uploadVideo;
        const { promise, abort } = kind === 'video' ? sendVideo(file, onProgress) : uploadImage(file, onProgress);
        stops.current.set(localId, abort);
        promise.then(
          (uploaded) => {
            stops.current.delete(localId);
            if (kind === 'image') return update(localId, { state: 'ready', progress: 1, uploaded });
            update(localId, { state: 'ready', progress: 1, uploaded, job: queuedJob });
            watch(localId, uploaded.id);
          },
          (error: Error) => {
            stops.current.delete(localId);
            if (error.message !== 'aborted') update(localId, { state: 'error', error: readableError(error) });
          },
        );
      }
    },
    [limits.maxBytes, limits.maxPerMessage, limits.maxVideoBytes, limits.directVideoUploads, watch],
  );

  const remove = useCallback((localId: string) => {
    stop(localId);
    const target = current.current.find((a) => a.localId === localId);
    if (target) {
      URL.revokeObjectURL(target.previewUrl);
      // An uploaded but unsent file is withdrawn on the server too, so it leaves nothing behind.
      if (target.uploaded) void fetch(`/api/media/${target.uploaded.id}`, { method: 'DELETE' });
    }
    setAttachments((list) => list.filter((a) => a.localId !== localId));
    setNotice(null);
  }, []);

  /** Processes a video again after it failed or was canceled; the server resumes where it stopped. */
  const retryVideo = useCallback(
    async (localId: string) => {
      const target = current.current.find((a) => a.localId === localId);
      if (!target?.uploaded) return;
      const mediaId = target.uploaded.id;
      try {
        update(localId, { job: eventOf(await videoAction(mediaId, 'retry')) });
        watch(localId, mediaId);
      } catch (error) {
        setNotice(readableError(error as Error));
      }
    },
    [watch],
  );

  /** After sending: the files now belong to the message, so only local previews are released. */
  const clear = useCallback(() => {
    stops.current.forEach((stopOne) => stopOne());
    stops.current.clear();
    setAttachments((list) => {
      list.forEach((a) => URL.revokeObjectURL(a.previewUrl));
      return [];
    });
    setNotice(null);
  }, []);

  useEffect(() => {
    const pending = stops.current;
    return () => pending.forEach((stopOne) => stopOne());
  }, []);

  return { attachments, notice, add, remove, retryVideo, clear };
}
