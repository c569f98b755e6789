import { z } from 'zod';

export const createKeySchema = z.object({
  name: z.string().trim().min(1, 'give the key a name, such as the program that will use it').max(60, 'a key name can be at most 60 characters'),
});
