/** The `[id]` segment of /api/audio/:id/…: a recording is a media row, with a UUID like every id. */
export { idParams as audioParams } from '@/lib/http-schemas';
