import { z } from 'zod';
import { shareToken } from '@/lib/share/links';

/** /share/:token/videos/:mediaId */
export const sharedVideoParams = z.object({ token: shareToken, mediaId: z.uuid() });

/** /share/:token/videos/:mediaId/frames/:index (the same bounds as the owner's frame route) */
export const sharedFrameParams = sharedVideoParams.extend({ index: z.coerce.number().int().min(0).max(100_000) });
