import { z } from 'zod';

/** The body of a request for a new share link, of a conversation or of one upload's analysis. */
export const shareSchema = z.object({
  /** Days until the link stops working; null or absent: until revoked. */
  expiresInDays: z.union([z.literal(1), z.literal(7), z.literal(30)]).nullable().optional(),
});
