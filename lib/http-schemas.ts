import { z } from 'zod';

/** `[id]` route segments: every id we hand out is a UUID. */
export const idParams = z.object({ id: z.uuid() });

/** /…/:id/frames/:index: a video's scene thumbnails. */
export const frameParams = z.object({ id: z.uuid(), index: z.coerce.number().int().min(0).max(100_000) });
