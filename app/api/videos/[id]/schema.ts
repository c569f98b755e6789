import { z } from 'zod';

/** The `[id]` segment of /api/videos/:id/…: a video is a media row, with a UUID like every id. */
export { idParams as videoParams } from '@/lib/http-schemas';

/** /api/videos/:id/frames/:index */
export const frameParams = z.object({ id: z.uuid(), index: z.coerce.number().int().min(0).max(100_000) });
