/** The `[id]` segment of /api/media/:id: a media id is a UUID like every id we hand out. */
export { idParams as mediaParams } from '@/lib/http-schemas';
