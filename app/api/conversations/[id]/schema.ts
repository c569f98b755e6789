import { z } from 'zod';
export { idParams as paramsSchema } from '@/lib/http-schemas';

export const renameSchema = z.object({
  title: z.string().trim().min(1, 'a title cannot be empty').max(120, 'a title can be at most 120 characters'),
});
