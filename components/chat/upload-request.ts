/** A failed upload; `status` is the route's HTTP status, null when the connection broke. */
export class UploadFailure extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }

  /** Trying again may work (connection lost, rate limit, server error); a refused file stays refused. */
  get retryable(): boolean {
    return this.status === null || this.status === 429 || this.status >= 500;
  }
}

/**
 * Uploads with XMLHttpRequest because fetch cannot report upload progress. A refusal rejects with an
 * UploadFailure whose message is the route's JSON body (for `readableError`); an abort with `aborted`.
 */
export function uploadWithProgress<T>(
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
      else reject(new UploadFailure(xhr.responseText || `Upload failed (HTTP ${xhr.status})`, xhr.status));
    };
    xhr.onerror = () => reject(new UploadFailure('The upload was interrupted. Check your connection and try again.', null));
    xhr.onabort = () => reject(new Error('aborted'));
    xhr.send(request.body);
  });
  return { promise, abort: () => xhr.abort() };
}
