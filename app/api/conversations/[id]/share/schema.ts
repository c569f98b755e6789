import { z } from 'zod';
export { idParams as paramsSchema } from '@/lib/http-schemas';

export const shareSchema = z.object({
  /** Days until the link stops working; null or absent: until revoked. */
  expiresInDays: z.union([z.literal(1), z.literal(7), z.literal(30)]).nullable().optional(),
});
