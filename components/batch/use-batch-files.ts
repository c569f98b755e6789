'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { MAX_BATCH_IMAGES } from '@/lib/batch/types';
import { readableError } from '@/components/chat/errors';
import { sizeError } from '@/components/chat/file-kind';
import { UploadQueue } from '@/components/chat/upload-queue';
import type { Collected } from '@/components/batch/collect-files';
import { uploadBatchImage, type UploadedImage } from '@/components/batch/upload-image';
import { UploadFailure } from '@/components/chat/upload-request';

export interface BatchFile {
  localId: string;
  filename: string;
  /** A local object URL: the thumbnail shows before the upload finishes. */
  previewUrl: string;
  progress: number;
  state: 'waiting' | 'uploading' | 'ready' | 'error';
  error?: string;
  /** The failure may pass on a second try (connection, rate limit, server error). */
  retryable?: boolean;
  uploaded?: UploadedImage;
}

/** Uploads at once: more only split the line between them; the rest wait their turn. */
const PARALLEL_UPLOADS = 4;

const plural = (n: number, noun: string) => `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;

/** The images staged for a new batch: each one's upload, progress and outcome, in the order added. */
export function useBatchFiles(limits: { maxBytes: number; maxVideoBytes: number; maxAudioBytes: number }) {
  const [files, setFiles] = useState<BatchFile[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const current = useRef(files);
  current.current = files;
  /** The picked files, kept for a retry. */
  const sources = useRef(new Map<string, File>());
  /** What to stop when a file goes: its place in line, or its upload while it runs. */
  const stops = useRef(new Map<string, () => void>());
  const queue = useRef(new UploadQueue(PARALLEL_UPLOADS));

  const update = (localId: string, patch: Partial<BatchFile>) => setFiles((list) => list.map((f) => (f.localId === localId ? { ...f, ...patch } : f)));

  const send = useCallback(async (localId: string) => {
    const file = sources.current.get(localId);
    if (!file) return;
    update(localId, { state: 'uploading', progress: 0 });
    const { promise, abort } = uploadBatchImage(file, (progress) => update(localId, { progress }));
    stops.current.set(localId, abort);
    try {
      const uploaded = await promise;
      update(localId, { state: 'ready', progress: 1, uploaded });
    } catch (error) {
      if ((error as Error).message === 'aborted') return;
      update(localId, { state: 'error', error: readableError(error as Error), retryable: error instanceof UploadFailure && error.retryable });
    } finally {
      stops.current.delete(localId);
    }
  }, []);

  const enqueue = useCallback(
    (localId: string) => {
      stops.current.set(localId, () => queue.current.drop(localId));
      queue.current.add(localId, () => send(localId));
    },
    [send],
  );

  const add = useCallback(
    ({ files: picked, skipped }: Collected) => {
      const notices: string[] = [];
      if (skipped > 0) notices.push(`Skipped ${plural(skipped, 'file')} that ${skipped === 1 ? 'is not an image' : 'are not images'}.`);
      // Refused uploads hold no place in the batch.
      const room = Math.max(0, MAX_BATCH_IMAGES - current.current.filter((f) => f.state !== 'error').length);
      if (picked.length > room) notices.push(`A batch holds up to ${MAX_BATCH_IMAGES} images; ${plural(picked.length - room, 'image')} not added.`);
      setNotice(notices.length > 0 ? notices.join(' ') : null);

      const added: BatchFile[] = picked.slice(0, room).map((file) => {
        const localId = crypto.randomUUID();
        sources.current.set(localId, file);
        const tooLarge = sizeError(file, 'image', limits);
        return { localId, filename: file.name, previewUrl: URL.createObjectURL(file), progress: 0, ...(tooLarge ? { state: 'error', error: tooLarge } : { state: 'waiting' }) };
      });
      setFiles((list) => [...list, ...added]);
      added.filter((f) => f.state === 'waiting').forEach((f) => enqueue(f.localId));
    },
    [limits, enqueue],
  );

  /** Takes files out; uploaded ones are withdrawn on the server too, so they leave nothing behind. */
  const remove = useCallback((localIds: string[]) => {
    const leaving = new Set(localIds);
    for (const f of current.current) {
      if (!leaving.has(f.localId)) continue;
      stops.current.get(f.localId)?.();
      stops.current.delete(f.localId);
      sources.current.delete(f.localId);
      URL.revokeObjectURL(f.previewUrl);
      if (f.uploaded) void fetch(`/api/media/${f.uploaded.id}`, { method: 'DELETE' }).catch(() => undefined);
    }
    setFiles((list) => list.filter((f) => !leaving.has(f.localId)));
    setNotice(null);
  }, []);

  const retryFailed = useCallback(() => {
    const again = current.current.filter((f) => f.state === 'error' && f.retryable);
    setFiles((list) => list.map((f) => (again.includes(f) ? { ...f, state: 'waiting', error: undefined, retryable: undefined, progress: 0 } : f)));
    again.forEach((f) => enqueue(f.localId));
  }, [enqueue]);

  // Leaving the page stops what is still uploading and releases the previews; what was uploaded stays
  // (it belongs to the batch when one was started).
  useEffect(() => {
    const line = queue.current;
    const pending = stops.current;
    const staged = current;
    return () => {
      line.clear();
      pending.forEach((stop) => stop());
      staged.current.forEach((f) => URL.revokeObjectURL(f.previewUrl));
    };
  }, []);

  return { files, notice, add, remove, retryFailed };
}
