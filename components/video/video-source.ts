import { mediaIdFromUrl } from '@/lib/chat/types';

/**
 * Where a message's video or recording comes from, read off its file part's URL: the owner's own
 * (`/api/media/<id>`, with player, events and actions) or a shared page's (`/share/<token>/media/<id>`,
 * as lib/share/links.ts rewrites parts for viewers, read-only). Null for anything else (the admin's
 * view), which shows a video's poster or a recording's waveform like an image.
 */
export type MediaOrigin = { kind: 'own'; mediaId: string } | { kind: 'shared'; token: string; mediaId: string };
export type VideoSource = MediaOrigin;
export type AudioSource = MediaOrigin;

const sharedMedia = /^\/share\/([A-Za-z0-9_-]{43})\/media\/([0-9a-f-]{36})$/;

/** Where a file part of the given kind (`video`, `audio`: its media type's first half) comes from. */
export function mediaOriginOf(part: { url: string; mediaType: string }, kind: 'video' | 'audio'): MediaOrigin | null {
  if (!part.mediaType.startsWith(`${kind}/`)) return null;
  const own = mediaIdFromUrl(part.url);
  if (own) return { kind: 'own', mediaId: own };
  const shared = sharedMedia.exec(part.url);
  return shared ? { kind: 'shared', token: shared[1], mediaId: shared[2] } : null;
}

export const videoSourceOf = (part: { url: string; mediaType: string }): VideoSource | null => mediaOriginOf(part, 'video');
export const audioSourceOf = (part: { url: string; mediaType: string }): AudioSource | null => mediaOriginOf(part, 'audio');
