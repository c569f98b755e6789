import { mediaIdFromUrl } from '@/lib/chat/types';

/**
 * Where a message's video comes from, read off its file part's URL: the owner's own
 * (`/api/media/<id>`, with player, events and actions) or a shared page's (`/share/<token>/media/<id>`,
 * as lib/share/links.ts rewrites parts for viewers, timeline only). Null for anything else (the
 * admin's view), which shows the poster like an image.
 */
export type VideoSource = { kind: 'own'; mediaId: string } | { kind: 'shared'; token: string; mediaId: string };

const sharedMedia = /^\/share\/([A-Za-z0-9_-]{43})\/media\/([0-9a-f-]{36})$/;

export function videoSourceOf(part: { url: string; mediaType: string }): VideoSource | null {
  if (!part.mediaType.startsWith('video/')) return null;
  const own = mediaIdFromUrl(part.url);
  if (own) return { kind: 'own', mediaId: own };
  const shared = sharedMedia.exec(part.url);
  return shared ? { kind: 'shared', token: shared[1], mediaId: shared[2] } : null;
}
