import { jsonOf, type AudioView } from '@/components/video/video-api';

export type { AudioView };

/** A recording shown read-only (a shared page, the admin console), from its view URL. */
export const fetchReadonlyAudio = (viewUrl: string) => jsonOf<AudioView>(fetch(viewUrl, { cache: 'no-store' }));
