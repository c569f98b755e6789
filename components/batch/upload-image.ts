import { uploadWithProgress } from '@/components/chat/upload-request';
import type { UploadedImage } from '@/lib/uploads/image';

export type { UploadedImage };

/** Sends one image to the upload route's batch allowance (a higher per-minute limit). */
export function uploadBatchImage(file: File, onProgress: (fraction: number) => void) {
  const form = new FormData();
  form.append('file', file);
  return uploadWithProgress<UploadedImage>({ method: 'POST', url: '/api/uploads?for=batch', body: form }, onProgress);
}
