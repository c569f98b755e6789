import { sharedAudioUrl } from '@/lib/audio/view';
import { mediaIdFromUrl } from '@/lib/chat/types';
import { sharedVideoUrl } from '@/lib/video/view';

/**
 * Where a message's video or recording comes from, read off its file part's URL: the owner's own
 * (`/api/media/<id>`, with player, events and actions), or read-only through a view URL — a shared
 * page's (`/share/<token>/media/<id>`, as lib/share/links.ts rewrites parts for viewers) or the admin
 * console's (`/admin/media/<id>`). Null for anything else, which shows like an image.
 */
export type MediaOrigin = { kind: 'own'; mediaId: string } | { kind: 'readonly'; mediaId: string; viewUrl: string };
export type VideoSource = MediaOrigin;
export type AudioSource = MediaOrigin;

const sharedMedia = /^\/share\/([A-Za-z0-9_-]{43})\/media\/([0-9a-f-]{36})$/;
const adminMedia = /^\/admin\/media\/([0-9a-f-]{36})$/;

/** Where a file part of the given kind (`video`, `audio`: its media type's first half) comes from. */
export function mediaOriginOf(part: { url: string; mediaType: string }, kind: 'video' | 'audio'): MediaOrigin | null {
  if (!part.mediaType.startsWith(`${kind}/`)) return null;
  const own = mediaIdFromUrl(part.url);
  if (own) return { kind: 'own', mediaId: own };
  const shared = sharedMedia.exec(part.url);
  if (shared) {
    const [, token, mediaId] = shared;
    return { kind: 'readonly', mediaId, viewUrl: kind === 'video' ? sharedVideoUrl(token, mediaId) : sharedAudioUrl(token, mediaId) };
  }
  const admin = adminMedia.exec(part.url);
  return admin ? { kind: 'readonly', mediaId: admin[1], viewUrl: `${part.url}/view` } : null;
}

export const videoSourceOf = (part: { url: string; mediaType: string }): VideoSource | null => mediaOriginOf(part, 'video');
export const audioSourceOf = (part: { url: string; mediaType: string }): AudioSource | null => mediaOriginOf(part, 'audio');
