import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VideoLimits } from '@/lib/config';
import { probeVideo } from '@/lib/media/video/probe';
import { rejectionWith } from '@/tests/support/errors';
import { badVideos, clipWithCuts, playlistsReadingLocalFiles, liveWebm, portraitClip, silentClip, twoFrameVideo, variableFrameRateClip } from '@/tests/support/videos';

const limits: VideoLimits = { maxBytes: 2 * 1024 ** 3, maxDurationMs: 3 * 3600_000, minDurationMs: 1000, minSide: 16, maxPixels: 3840 * 2160 };

let dir = '';
let cuts = '';
let portrait = '';
let silent = '';
let webm = '';
let vfr = '';
let feature = '';
let bad: Awaited<ReturnType<typeof badVideos>>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-probe-'));
  [{ file: cuts }, portrait, silent, webm, { file: vfr }, feature, bad] = await Promise.all([
    clipWithCuts(dir),
    portraitClip(dir),
    silentClip(dir),
    liveWebm(dir),
    variableFrameRateClip(dir),
    twoFrameVideo(dir, 3 * 3600 + 12 * 60),
    badVideos(dir),
  ]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('probeVideo', () => {
  it('reads an H.264 MP4 with sound', async () => {
    expect(await probeVideo(cuts, limits)).toEqual({
      durationMs: 7600,
      width: 320,
      height: 180,
      rotation: 0,
      codec: 'h264',
      container: 'mov,mp4,m4a,3gp,3g2,mj2',
      fps: 25,
      hasAudio: true,
    });
    expect(await probeVideo(silent, limits)).toMatchObject({ durationMs: 2000, hasAudio: false });
  });

  it('reports a portrait phone video upright, with the rotation its display matrix asks for', async () => {
    expect(await probeVideo(portrait, limits)).toMatchObject({ width: 180, height: 320, rotation: 90 });
  });

  it('measures a browser-recorded WebM, whose header has no duration, by its packets', async () => {
    expect(await probeVideo(webm, limits)).toMatchObject({ codec: 'vp8', container: 'matroska,webm', width: 160, height: 90 });
    expect((await probeVideo(webm, limits)).durationMs).toBeGreaterThanOrEqual(2500);
    expect((await probeVideo(webm, limits)).durationMs).toBeLessThanOrEqual(2540);
  });

  it('reports the average frame rate of a variable-frame-rate video', async () => {
    expect(await probeVideo(vfr, limits)).toMatchObject({ durationMs: 4000, fps: 18.75 });
  });

  it('rejects an empty file', async () => {
    expect((await rejectionWith(probeVideo(bad.empty, limits), 'empty_file')).message).toBe('This file is empty.');
  });

  it('rejects a file over the byte limit before reading it, stating both sizes', async () => {
    const error = await rejectionWith(probeVideo(cuts, { ...limits, maxBytes: 1024 }), 'too_large');
    expect(error.message).toMatch(/^This video is \d+\.\d KB; the limit is 1\.0 KB\.$/);
  });

  it('rejects what is not a video, saying what it is', async () => {
    expect((await rejectionWith(probeVideo(bad.html, limits), 'unsupported_type')).message).toBe(
      'This file is not a video (it looks like text or HTML).',
    );
    expect((await rejectionWith(probeVideo(bad.png, limits), 'unsupported_type')).message).toBe(
      'This file is a PNG image, not a video. Upload it as an image.',
    );
    expect((await rejectionWith(probeVideo(bad.audioOnly, limits), 'unsupported_type')).message).toBe(
      'This file has no video stream, only audio.',
    );
  });

  it('rejects a playlist under a video’s name before ffprobe could follow it to a server file', async () => {
    const { playlists } = await playlistsReadingLocalFiles(dir);
    for (const file of Object.values(playlists)) {
      expect((await rejectionWith(probeVideo(file, limits), 'unsupported_type')).message).toBe(
        'This file is not a video format we can read. MP4 (H.264), MOV, WebM and MKV work.',
      );
    }
  });

  it('rejects a truncated MP4 (its index cut off) and one whose video data is garbage as corrupt', async () => {
    for (const file of [bad.truncated, bad.garbled]) {
      expect((await rejectionWith(probeVideo(file, limits), 'corrupt_file')).message).toBe(
        'This video is truncated or corrupt and cannot be read.',
      );
    }
  });

  it('rejects a video of more pixels a frame than the limit before decoding it, with status 413', async () => {
    // 320 × 180 is 57 600 pixels: one fewer is over the limit, exactly that is not.
    const error = await rejectionWith(probeVideo(silent, { ...limits, maxPixels: 320 * 180 - 1 }), 'too_many_pixels');
    expect(error.message).toBe('This video is 320 × 180 (0.0576 MP a frame); the limit is 0.0576 MP a frame (4K, 3840 × 2160, is 8.29).');
    expect(error.status).toBe(413);
    await expect(probeVideo(silent, { ...limits, maxPixels: 320 * 180 })).resolves.toMatchObject({ width: 320, height: 180 });
  });

  it('rejects a video shorter than the minimum, with status 422', async () => {
    const error = await rejectionWith(probeVideo(bad.short, limits), 'too_short');
    expect(error.message).toBe('This video is 0.4 s long; the minimum is 1 s.');
    expect(error.status).toBe(422);
  });

  it('rejects a video smaller than the minimum side, with status 422', async () => {
    const error = await rejectionWith(probeVideo(bad.tiny, limits), 'too_small');
    expect(error.message).toBe('This video is 1 × 1 pixels; each side must be at least 16 pixels.');
    expect(error.status).toBe(422);
  });

  it('rejects a video longer than the limit, in hours and minutes', async () => {
    expect((await rejectionWith(probeVideo(feature, limits), 'too_large')).message).toBe('This video is 3 h 12 min long; the limit is 3 h.');
    expect((await rejectionWith(probeVideo(cuts, { ...limits, maxDurationMs: 5000 }), 'too_large')).message).toBe(
      'This video is 7.6 s long; the limit is 5 s.',
    );
    await expect(probeVideo(cuts, { ...limits, maxDurationMs: 7600 })).resolves.toMatchObject({ durationMs: 7600 });
  });
});
