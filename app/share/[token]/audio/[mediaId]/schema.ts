import { z } from 'zod';
import { shareToken } from '@/lib/share/links';

/** /share/:token/audio/:mediaId */
export const sharedAudioParams = z.object({ token: shareToken, mediaId: z.uuid() });
