/**
 * A shared page's video, in pure parts: which component a message's file part gets (the owner's, a
 * shared page's, or none: shown as an image), and which scene of the timeline a cited time shows.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { citedScene } from '@/components/video/timestamps';
import { videoSourceOf } from '@/components/video/video-source';
import { mediaUrl } from '@/lib/chat/types';
import { newShareToken, sharedParts, shareMediaUrl } from '@/lib/share/links';

describe('videoSourceOf', () => {
  const id = randomUUID();
  const token = newShareToken();

  it('reads the owner’s /api/media/<id> and a share link’s /share/<token>/media/<id>', () => {
    expect(videoSourceOf({ url: mediaUrl(id), mediaType: 'video/mp4' })).toEqual({ kind: 'own', mediaId: id });
    expect(videoSourceOf({ url: shareMediaUrl(token, id), mediaType: 'video/mp4' })).toEqual({ kind: 'readonly', mediaId: id, viewUrl: `/share/${token}/videos/${id}` });
  });

  it('agrees with sharedParts: a shared page’s video part is read through the link', () => {
    const [part] = sharedParts([{ type: 'file', mediaType: 'video/quicktime', url: mediaUrl(id), filename: 'a.mov' }], token);
    expect(part.type === 'file' && videoSourceOf(part)).toEqual({ kind: 'readonly', mediaId: id, viewUrl: `/share/${token}/videos/${id}` });
  });

  it('leaves images and anything malformed alone', () => {
    expect(videoSourceOf({ url: mediaUrl(id), mediaType: 'image/jpeg' })).toBeNull();
    expect(videoSourceOf({ url: shareMediaUrl(token, id), mediaType: 'image/webp' })).toBeNull();
    expect(videoSourceOf({ url: `/admin/media/${id}?stream=1`, mediaType: 'video/mp4' })).toBeNull();
    expect(videoSourceOf({ url: `/share/short/media/${id}`, mediaType: 'video/mp4' })).toBeNull();
    expect(videoSourceOf({ url: `${shareMediaUrl(token, id)}?original=1`, mediaType: 'video/mp4' })).toBeNull();
    expect(videoSourceOf({ url: `https://evil.example${shareMediaUrl(token, id)}`, mediaType: 'video/mp4' })).toBeNull();
  });
});

describe('citedScene', () => {
  const scenes = [{ startMs: 0 }, { startMs: 1320 }, { startMs: 2560 }, { startMs: 2900 }, { startMs: 6480 }];

  it('a citation of a scene’s start, in whole seconds, shows that scene, not the one running at the whole second', () => {
    expect(citedScene(scenes, 0)).toBe(0);
    expect(citedScene(scenes, 1)).toBe(1);
    // Two scenes start in the same second: the first of them.
    expect(citedScene(scenes, 2)).toBe(2);
    expect(citedScene(scenes, 6)).toBe(4);
  });

  it('any other time shows the scene it falls in, and a time before the first scene the first', () => {
    expect(citedScene(scenes, 3)).toBe(3);
    expect(citedScene(scenes, 5)).toBe(3);
    expect(citedScene(scenes, 60)).toBe(4);
    expect(citedScene([{ startMs: 4000 }, { startMs: 9000 }], 1)).toBe(0);
  });
});
