import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mediaUrl, type ChatMessage } from '@/lib/chat/types';
import { copiedParts, expiresAtFor, newShareToken, previewText, sharedParts, shareStatus, shareToken } from '@/lib/share/links';

describe('share link helpers', () => {
  it('tokens are 32 random bytes in base64url and pass the token schema', () => {
    const a = newShareToken();
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(shareToken.safeParse(a).success).toBe(true);
    expect(a).not.toBe(newShareToken());
    for (const bad of ['', 'short', `${a}x`, `${a.slice(0, 42)}/`, '../../api/media']) expect(shareToken.safeParse(bad).success).toBe(false);
  });

  it('rewrites image parts to the share-scoped URL and drops file parts that are not our images', () => {
    const id = randomUUID();
    const parts: ChatMessage['parts'] = [
      { type: 'file', mediaType: 'image/png', url: mediaUrl(id), filename: 'a.png' },
      { type: 'file', mediaType: 'image/png', url: 'https://storage.example/private/blob' },
      { type: 'text', text: 'hi' },
    ];
    expect(sharedParts(parts, 'TOKEN')).toEqual([
      { type: 'file', mediaType: 'image/png', url: `/share/TOKEN/media/${id}`, filename: 'a.png' },
      { type: 'text', text: 'hi' },
    ]);
    const copy = randomUUID();
    expect(copiedParts(parts, new Map([[id, copy]]))).toEqual([
      { type: 'file', mediaType: 'image/png', url: mediaUrl(copy), filename: 'a.png' },
      { type: 'text', text: 'hi' },
    ]);
  });

  it('status and expiry', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(expiresAtFor(null, now)).toBeNull();
    expect(expiresAtFor(7, now)?.toISOString()).toBe('2026-01-08T00:00:00.000Z');
    expect(shareStatus({ revokedAt: null, expiresAt: null }, now)).toBe('live');
    expect(shareStatus({ revokedAt: now, expiresAt: null }, now)).toBe('revoked');
    expect(shareStatus({ revokedAt: null, expiresAt: now }, now)).toBe('expired');
  });

  it('previews a question on one line, cut at a word', () => {
    expect(previewText('  What is\n this?  ')).toBe('What is this?');
    const long = previewText('word '.repeat(100), 40);
    expect(long.length).toBeLessThanOrEqual(40);
    expect(long.endsWith('word…')).toBe(true);
  });
});
