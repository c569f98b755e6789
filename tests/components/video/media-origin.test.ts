import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { audioSourceOf, videoSourceOf } from '@/components/video/video-source';
import { mediaUrl } from '@/lib/chat/types';
import { newShareToken, shareMediaUrl } from '@/lib/share/links';

describe('audioSourceOf', () => {
  const id = randomUUID();
  const token = newShareToken();

  it("finds the owner's and a shared page's recordings by media type", () => {
    expect(audioSourceOf({ url: mediaUrl(id), mediaType: 'audio/mpeg' })).toEqual({ kind: 'own', mediaId: id });
    expect(audioSourceOf({ url: shareMediaUrl(token, id), mediaType: 'audio/wav' })).toEqual({ kind: 'shared', token, mediaId: id });
  });

  it('leaves videos, images and other addresses alone', () => {
    expect(audioSourceOf({ url: mediaUrl(id), mediaType: 'video/mp4' })).toBeNull();
    expect(videoSourceOf({ url: mediaUrl(id), mediaType: 'audio/mpeg' })).toBeNull();
    expect(audioSourceOf({ url: mediaUrl(id), mediaType: 'image/png' })).toBeNull();
    expect(audioSourceOf({ url: `/admin/media/${id}`, mediaType: 'audio/mpeg' })).toBeNull();
    expect(audioSourceOf({ url: `${shareMediaUrl(token, id)}?stream=1`, mediaType: 'audio/mpeg' })).toBeNull();
  });
});
