import { jsonOf, type AudioView } from '@/components/video/video-api';

export type { AudioView };

/** A shared recording's view goes through the link, like its waveform and stream. */
export const sharedAudioUrl = (token: string, mediaId: string) => `/share/${token}/audio/${mediaId}`;

/** A recording of a shared conversation, through its link: the transcript, and a stream once the playback copy exists. */
export const fetchSharedAudio = (token: string, mediaId: string) => jsonOf<AudioView>(fetch(sharedAudioUrl(token, mediaId), { cache: 'no-store' }));
