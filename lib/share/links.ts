import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { mediaIdFromUrl, mediaUrl, type ChatMessage } from '@/lib/chat/types';

/** How long a new link may live, in days; null is until revoked. */
export const EXPIRY_DAYS = [1, 7, 30] as const;

/** 32 random bytes, base64url: 43 characters, 256 bits nobody can guess or enumerate. */
export const newShareToken = () => randomBytes(32).toString('base64url');

/** A well-formed token; anything else is simply not found. */
export const shareToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

export const shareUrl = (token: string) => `/share/${token}`;

/** Images on a shared page go through the link itself, so revoking or expiring it stops them too. */
export const shareMediaUrl = (token: string, mediaId: string) => `/share/${token}/media/${mediaId}`;

export function expiresAtFor(days: number | null, now = new Date()): Date | null {
  return days === null ? null : new Date(now.getTime() + days * 24 * 60 * 60 * 1000);
}

export type ShareStatus = 'live' | 'revoked' | 'expired';

export function shareStatus(link: { revokedAt: Date | null; expiresAt: Date | null }, now = new Date()): ShareStatus {
  if (link.revokedAt) return 'revoked';
  if (link.expiresAt && link.expiresAt <= now) return 'expired';
  return 'live';
}

/** The media ids a message's image parts point at (our own /api/media/<id> URLs only). */
export function mediaIdsOfParts(parts: ChatMessage['parts']): string[] {
  return parts.flatMap((p) => (p.type === 'file' ? [mediaIdFromUrl(p.url)].filter((id): id is string => id !== null) : []));
}

/**
 * Parts as a stranger may see them: each image points at the share-scoped URL instead of the
 * owner's /api/media/<id>. A file part that is not one of our images is dropped rather than shown.
 */
export function sharedParts(parts: ChatMessage['parts'], token: string): ChatMessage['parts'] {
  return parts.flatMap((p): ChatMessage['parts'] => {
    if (p.type !== 'file') return [p];
    const id = mediaIdFromUrl(p.url);
    return id ? [{ ...p, url: shareMediaUrl(token, id) }] : [];
  });
}

/** A link to one upload's analysis shows it as the one message of its page, pointing at the link's own URL. */
export function sharedMediaMessage(media: { id: string; filename: string; mediaType: string }, token: string): ChatMessage {
  return { id: media.id, role: 'user', parts: [{ type: 'file', url: shareMediaUrl(token, media.id), mediaType: media.mediaType, filename: media.filename }] };
}

/** Parts of a copied message: each image points at the copy's own Media row. */
export function copiedParts(parts: ChatMessage['parts'], newIds: Map<string, string>): ChatMessage['parts'] {
  return parts.flatMap((p): ChatMessage['parts'] => {
    if (p.type !== 'file') return [p];
    const id = mediaIdFromUrl(p.url);
    const copy = id ? newIds.get(id) : undefined;
    return copy ? [{ ...p, url: mediaUrl(copy) }] : [];
  });
}

/** A one-line preview of a question for link previews: whitespace collapsed, cut at a word. */
export function previewText(text: string, max = 160): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  const cut = line.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
