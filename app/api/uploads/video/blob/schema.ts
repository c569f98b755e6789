import { z } from 'zod';

/** The pathname the browser uploaded to (from /api/uploads/video/token) and the file's name. */
export const incomingVideo = z.object({
  pathname: z.string().min(1).max(300),
  filename: z.string().trim().min(1).max(500),
});
