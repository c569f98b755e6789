import { z } from 'zod';
import { shareToken } from '@/lib/share/links';

export const paramsSchema = z.object({ token: shareToken });
