/** The `[id]` segment of /api/videos/:id/…: a video is a media row, with a UUID like every id. */
export { idParams as videoParams } from '@/lib/http-schemas';

/** /api/videos/:id/frames/:index */
export { frameParams } from '@/lib/http-schemas';
