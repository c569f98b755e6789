import { z } from 'zod';

/** The pathname the browser uploaded to (from /api/uploads/<kind>/token) and the file's name. */
export const incomingUpload = z.object({
  pathname: z.string().min(1).max(300),
  filename: z.string().trim().min(1).max(500),
});

/** @vercel/blob/client's token request; the rest of its shape is the library's to check. */
export const clientTokenRequest = z.looseObject({
  type: z.literal('blob.generate-client-token', { error: 'only client-token requests are accepted here' }),
});
