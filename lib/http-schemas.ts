import { z } from 'zod';

/** `[id]` route segments: every id we hand out is a UUID. */
export const idParams = z.object({ id: z.uuid() });
