'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { ImageUploadLimits } from '@/lib/config';
import { formatBytes } from '@/lib/errors';
import { readableError } from '@/components/chat/errors';
import type { UploadedImage } from '@/lib/uploads/image';

export type { UploadedImage };

export interface Attachment {
  localId: string;
  filename: string;
  /** A local object URL, so the thumbnail shows before the upload finishes. */
  previewUrl: string;
  progress: number;
  state: 'uploading' | 'ready' | 'error';
  error?: string;
  uploaded?: UploadedImage;
}

/** Uploads with XMLHttpRequest because fetch cannot report upload progress. */
function upload(file: File, onProgress: (fraction: number) => void): { promise: Promise<UploadedImage>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<UploadedImage>((resolve, reject) => {
    xhr.open('POST', '/api/uploads');
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      if (xhr.status === 201) resolve(JSON.parse(xhr.responseText) as UploadedImage);
      else reject(new Error(xhr.responseText || `Upload failed (HTTP ${xhr.status})`));
    };
    xhr.onerror = () => reject(new Error('The upload was interrupted. Check your connection and try again.'));
    xhr.onabort = () => reject(new Error('aborted'));
    const form = new FormData();
    form.append('file', file);
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}

export function useAttachments(limits: ImageUploadLimits) {
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const aborts = useRef(new Map<string, () => void>());
  const count = useRef(0);
  count.current = attachments.filter((a) => a.state !== 'error').length;

  const update = (localId: string, patch: Partial<Attachment>) =>
    setAttachments((list) => list.map((a) => (a.localId === localId ? { ...a, ...patch } : a)));

  const add = useCallback(
    (files: File[]) => {
      setNotice(null);
      const room = limits.maxPerMessage - count.current;
      if (files.length > room) {
        setNotice(`You can attach up to ${limits.maxPerMessage} images per message; ${files.length - Math.max(room, 0)} not added.`);
      }
      for (const file of files.slice(0, Math.max(room, 0))) {
        const localId = crypto.randomUUID();
        const base: Attachment = { localId, filename: file.name, previewUrl: URL.createObjectURL(file), progress: 0, state: 'uploading' };
        count.current += 1;
        if (file.size > limits.maxBytes) {
          setAttachments((list) => [...list, { ...base, state: 'error', error: `${file.name} is ${formatBytes(file.size)}; the limit is ${formatBytes(limits.maxBytes)} per image.` }]);
          continue;
        }
        setAttachments((list) => [...list, base]);
        const { promise, abort } = upload(file, (progress) => update(localId, { progress }));
        aborts.current.set(localId, abort);
        promise
          .then((uploaded) => update(localId, { state: 'ready', progress: 1, uploaded }))
          .catch((error: Error) => error.message !== 'aborted' && update(localId, { state: 'error', error: readableError(error) }))
          .finally(() => aborts.current.delete(localId));
      }
    },
    [limits.maxBytes, limits.maxPerMessage],
  );

  const remove = useCallback((localId: string) => {
    setAttachments((list) => {
      const target = list.find((a) => a.localId === localId);
      if (target) {
        aborts.current.get(localId)?.();
        URL.revokeObjectURL(target.previewUrl);
        // An uploaded but unsent image is withdrawn on the server too, so it leaves nothing behind.
        if (target.uploaded) void fetch(`/api/media/${target.uploaded.id}`, { method: 'DELETE' });
      }
      return list.filter((a) => a.localId !== localId);
    });
    setNotice(null);
  }, []);

  /** After sending: the images now belong to the message, so only local previews are released. */
  const clear = useCallback(() => {
    setAttachments((list) => {
      list.forEach((a) => URL.revokeObjectURL(a.previewUrl));
      return [];
    });
    setNotice(null);
  }, []);

  useEffect(() => () => aborts.current.forEach((abort) => abort()), []);

  return { attachments, notice, add, remove, clear };
}
