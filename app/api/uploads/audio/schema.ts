import { z } from 'zod';

/** `?filename=` names the recording for the person; its content decides what it is. */
export const audioUploadQuery = z.object({
  filename: z.string().trim().min(1).max(500).default('recording'),
});
