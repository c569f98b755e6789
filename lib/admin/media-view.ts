import { audioView, type AudioView } from '@/lib/audio/view';
import { db } from '@/lib/db/client';
import type { Media } from '@/lib/generated/prisma/client';
import { loadTranscriptView } from '@/lib/transcripts/load';
import { videoView, type VideoView } from '@/lib/video/view';

/** The console's own URLs for someone's upload: admin-only routes, never the owner's /api ones. */
export const adminMediaUrl = (mediaId: string) => `/admin/media/${mediaId}`;

/** A video or recording as the console shows it, read-only: the playback copy, frames and transcript through admin routes. */
export async function adminMediaView(media: Media): Promise<VideoView | AudioView | null> {
  const base = adminMediaUrl(media.id);
  const stream = media.playbackKey ? `${base}?stream=1` : null;
  const job = await db().videoJob.findUnique({ where: { mediaId: media.id } });
  const transcript = await loadTranscriptView(media);
  const urls = { stream, transcript: `${base}/transcript`, translations: null };
  if (media.kind === 'audio') return audioView({ ...media, videoJob: job }, transcript, { ...urls, waveform: base });
  if (media.kind !== 'video') return null;
  const frames = await db().videoFrame.findMany({ where: { mediaId: media.id }, orderBy: { index: 'asc' } });
  return videoView({ ...media, videoJob: job }, frames, transcript, { ...urls, poster: base, frame: (index) => `${base}/frames/${index}` });
}
