import { z } from 'zod';

/** `?filename=` names the video for the person; its content decides what it is. */
export const videoUploadQuery = z.object({
  filename: z.string().trim().min(1).max(500).default('video'),
});
