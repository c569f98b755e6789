import type { UploadedImage } from '@/lib/uploads/image';

export type { UploadedImage };

/** A failed upload; `retryable` when trying again may work (connection lost, rate limit, server error), not for a refused file. */
export class UploadError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/**
 * Sends one image to the upload route's batch allowance (a higher per-minute limit). XMLHttpRequest
 * because fetch cannot report upload progress. A refusal rejects with an UploadError whose message is
 * the route's JSON body, for `readableError`; an abort with the message `aborted`.
 */
export function uploadBatchImage(file: File, onProgress: (fraction: number) => void): { promise: Promise<UploadedImage>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<UploadedImage>((resolve, reject) => {
    xhr.open('POST', '/api/uploads?for=batch');
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      if (xhr.status === 201) resolve(JSON.parse(xhr.responseText) as UploadedImage);
      else reject(new UploadError(xhr.responseText || `Upload failed (HTTP ${xhr.status})`, xhr.status === 429 || xhr.status >= 500));
    };
    xhr.onerror = () => reject(new UploadError('The upload was interrupted. Check your connection and try again.', true));
    xhr.onabort = () => reject(new Error('aborted'));
    const form = new FormData();
    form.append('file', file);
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}
