import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { audioSourceOf, videoSourceOf } from '@/components/video/video-source';
import { mediaUrl } from '@/lib/chat/types';
import { newShareToken, shareMediaUrl } from '@/lib/share/links';

describe('where a message’s video or recording comes from', () => {
  const id = randomUUID();
  const token = newShareToken();

  it("finds the owner's own, and shows a shared page's or the admin console's read-only through their view routes", () => {
    expect(audioSourceOf({ url: mediaUrl(id), mediaType: 'audio/mpeg' })).toEqual({ kind: 'own', mediaId: id });
    expect(audioSourceOf({ url: shareMediaUrl(token, id), mediaType: 'audio/wav' })).toEqual({ kind: 'readonly', mediaId: id, viewUrl: `/share/${token}/audio/${id}` });
    expect(videoSourceOf({ url: shareMediaUrl(token, id), mediaType: 'video/mp4' })).toEqual({ kind: 'readonly', mediaId: id, viewUrl: `/share/${token}/videos/${id}` });
    expect(audioSourceOf({ url: `/admin/media/${id}`, mediaType: 'audio/mpeg' })).toEqual({ kind: 'readonly', mediaId: id, viewUrl: `/admin/media/${id}/view` });
    expect(videoSourceOf({ url: `/admin/media/${id}`, mediaType: 'video/webm' })).toEqual({ kind: 'readonly', mediaId: id, viewUrl: `/admin/media/${id}/view` });
  });

  it('leaves images, the other kind and other addresses alone', () => {
    expect(audioSourceOf({ url: mediaUrl(id), mediaType: 'video/mp4' })).toBeNull();
    expect(videoSourceOf({ url: mediaUrl(id), mediaType: 'audio/mpeg' })).toBeNull();
    expect(audioSourceOf({ url: mediaUrl(id), mediaType: 'image/png' })).toBeNull();
    expect(audioSourceOf({ url: `${shareMediaUrl(token, id)}?stream=1`, mediaType: 'audio/mpeg' })).toBeNull();
    expect(videoSourceOf({ url: `https://elsewhere.example/admin/media/${id}`, mediaType: 'video/mp4' })).toBeNull();
  });
});
