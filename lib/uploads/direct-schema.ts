import { z } from 'zod';

/** The pathname the browser uploaded to (from /api/uploads/<kind>/token) and the file's name. */
export const incomingUpload = z.object({
  pathname: z.string().min(1).max(300),
  filename: z.string().trim().min(1).max(500),
});
