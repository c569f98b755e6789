import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VideoLimits } from '@/lib/config';
import { makePlaybackCopy, needsTranscode } from '@/lib/media/video/playback';
import { probeVideo } from '@/lib/media/video/probe';
import { runTool } from '@/lib/media/video/run';
import { clipWithCuts, portraitClip } from '@/tests/support/videos';

const limits: VideoLimits = { maxBytes: 2 * 1024 ** 3, maxDurationMs: 3 * 3600_000, minDurationMs: 1000, minSide: 16, maxPixels: 3840 * 2160 };

let dir = '';
let cuts = '';
let portrait = '';

/** Every tag ffprobe sees, on the file and on each stream. */
async function tags(file: string): Promise<Record<string, string>> {
  const { stdout } = await runTool('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file]);
  const probe = JSON.parse(stdout) as { format: { tags?: Record<string, string> }; streams: { tags?: Record<string, string> }[] };
  return Object.assign({}, probe.format.tags, ...probe.streams.map((s) => s.tags));
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-playback-'));
  [{ file: cuts }, portrait] = await Promise.all([clipWithCuts(dir), portraitClip(dir)]);
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the playback copy', () => {
  it('keeps playable H.264 as it is and drops every tag, a phone’s location included', async () => {
    const tagged = path.join(dir, 'tagged.mp4');
    await runTool('ffmpeg', ['-v', 'error', '-y', '-i', cuts, '-c', 'copy', '-metadata', 'location=+48.8566+002.3522/', '-metadata', 'title=Family trip', '-metadata:s:v:0', 'handler_name=Phone camera', tagged]);
    expect(await tags(tagged)).toMatchObject({ location: '+48.8566+002.3522/', title: 'Family trip' });

    const copy = path.join(dir, 'tagged-copy.mp4');
    const info = await probeVideo(tagged, limits);
    expect(needsTranscode(info)).toBe(false);
    await makePlaybackCopy(tagged, copy, info);

    const seen = await tags(copy);
    expect(seen).not.toHaveProperty('location');
    expect(seen).not.toHaveProperty('title');
    // What is left is the muxer's own boilerplate (brands, a generic handler name), nothing of ours.
    expect(Object.values(seen).filter((value) => /Family|Phone|48\.85/.test(value))).toEqual([]);
    const played = await probeVideo(copy, limits);
    expect(played).toMatchObject({ codec: 'h264', width: 320, height: 180, hasAudio: true });
    expect(Math.abs(played.durationMs - info.durationMs)).toBeLessThan(100);
  });

  it('keeps a portrait phone video upright', async () => {
    const copy = path.join(dir, 'portrait-copy.mp4');
    await makePlaybackCopy(portrait, copy, await probeVideo(portrait, limits));
    expect(await probeVideo(copy, limits)).toMatchObject({ width: 180, height: 320 });
  });

  it('re-encodes what browsers cannot play (MPEG-4 Part 2 in AVI) to H.264 and AAC in MP4, reporting progress', async () => {
    const avi = path.join(dir, 'old-camera.avi');
    await runTool('ffmpeg', ['-v', 'error', '-y', '-i', cuts, '-c:v', 'mpeg4', '-c:a', 'mp3', '-f', 'avi', avi]);
    const info = await probeVideo(avi, limits);
    expect(info.codec).toBe('mpeg4');
    expect(needsTranscode(info)).toBe(true);

    const copy = path.join(dir, 'old-camera.mp4');
    const progress: number[] = [];
    await makePlaybackCopy(avi, copy, info, { onProgress: (ms) => progress.push(ms) });
    const played = await probeVideo(copy, limits);
    expect(played).toMatchObject({ codec: 'h264', hasAudio: true, width: 320, height: 180 });
    expect(played.container).toContain('mp4');
    const { stdout } = await runTool('ffprobe', ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', copy]);
    expect(stdout.trim()).toBe('aac');
    expect(progress.at(-1)).toBeGreaterThan(info.durationMs * 0.9);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('canceled'));
    await expect(makePlaybackCopy(cuts, path.join(dir, 'aborted.mp4'), await probeVideo(cuts, limits), { signal: controller.signal })).rejects.toThrow('canceled');
  });
});
