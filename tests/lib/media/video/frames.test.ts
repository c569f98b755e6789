import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, unlink, copyFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { VideoLimits } from '@/lib/config';
import { frameBudget, frameSelectionSettings, selectFrames, type FrameSelectionSettings, type SelectedFrame } from '@/lib/media/video/frames';
import { hammingDistance } from '@/lib/media/video/phash';
import { probeVideo, type VideoInfo } from '@/lib/media/video/probe';
import { rejectionWith } from '@/tests/support/errors';
import {
  clipWithCuts,
  dissolveClip,
  flashClip,
  highMotionThenShortScenes,
  panThenStillClip,
  portraitClip,
  staticNoiseBetweenCuts,
  threeHourClip,
  twoMinutesWithCuts,
  variableFrameRateClip,
} from '@/tests/support/videos';

// Watching ffmpeg processes start and end is the only way to see that aborting kills them.
vi.mock('node:child_process', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:child_process')>();
  return { ...actual, spawn: vi.fn(actual.spawn) };
});

const limits: VideoLimits = { maxBytes: 2 * 1024 ** 3, maxDurationMs: 3 * 3600_000, minDurationMs: 1000, minSide: 16, maxPixels: 3840 * 2160 };
// Short clips: a floor every 2 s, and a budget that does not get in the way unless a test says so.
const settings: FrameSelectionSettings = { ...frameSelectionSettings(), floorSeconds: 2, maxFramesPerMinute: 60 };

interface Clip {
  file: string;
  info: VideoInfo;
}

let dir = '';
let cuts: Clip & { cutsMs: number[] };
let portrait: Clip;
let vfr: Clip & { cutMs: number };
let panThenStill: Clip & { stillFromMs: number };
let twoMinutes: Clip & { cutsMs: number[] };
let highMotionEnding: Clip & { cutsMs: number[] };
let staticBetween: Clip & { cutsMs: number[]; noiseMs: [number, number][] };
let flash: Clip & { flashMs: number };
let dissolve: Clip & { dissolvedMs: number };
let threeHours: Clip;

async function clip<T extends { file: string }>(made: T): Promise<T & Clip> {
  return { ...made, info: await probeVideo(made.file, limits) };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-frames-'));
  [cuts, portrait, vfr, panThenStill, twoMinutes, highMotionEnding, staticBetween, flash, dissolve, threeHours] = await Promise.all([
    clipWithCuts(dir).then(clip),
    portraitClip(dir).then((file) => clip({ file })),
    variableFrameRateClip(dir).then(clip),
    panThenStillClip(dir).then(clip),
    twoMinutesWithCuts(dir).then(clip),
    highMotionThenShortScenes(dir).then(clip),
    staticNoiseBetweenCuts(dir).then(clip),
    flashClip(dir).then(clip),
    dissolveClip(dir).then(clip),
    threeHourClip(dir).then(clip),
  ]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  vi.mocked(spawn).mockClear();
});

async function framesOf(video: Clip, overrides: Partial<FrameSelectionSettings> = {}, onProgress?: (ms: number) => void) {
  const frames: SelectedFrame[] = [];
  for await (const frame of selectFrames(video.file, video.info, { ...settings, ...overrides }, { onProgress })) frames.push(frame);
  return frames;
}

/** The longest stretch of the video without a selected frame, the end included. */
function longestGap(frames: SelectedFrame[], durationMs: number) {
  const times = [...frames.map((f) => f.timeMs), durationMs];
  return Math.max(...times.map((t, i) => t - (i === 0 ? 0 : times[i - 1])));
}

/** The cuts with no frame selected within 1 s after them. */
function missedCuts(frames: SelectedFrame[], cutsMs: number[]) {
  return cutsMs.filter((cut) => !frames.some((frame) => frame.timeMs >= cut && frame.timeMs - cut < 1000));
}

function ffmpegRuns(): { args: string[]; child: ChildProcess }[] {
  const { calls, results } = vi.mocked(spawn).mock;
  return calls
    .map((call, i) => ({ command: call[0], args: call[1] as string[], child: results[i].value as ChildProcess }))
    .filter((run) => run.command === 'ffmpeg');
}

describe('selectFrames', () => {
  it('finds every cut, in time order, with consecutive indexes and timestamps', async () => {
    const frames = await framesOf(cuts);
    expect(missedCuts(frames, cuts.cutsMs)).toEqual([]);
    expect(frames.map((f) => f.index)).toEqual(frames.map((_, i) => i));
    for (let i = 1; i < frames.length; i++) expect(frames[i].timeMs).toBeGreaterThan(frames[i - 1].timeMs);
    expect(frames[0]).toMatchObject({ index: 0, timeMs: 0, reason: 'first' });
    // The frame after each cut is there for the cut, not the floor.
    for (const cut of cuts.cutsMs) expect(frames.find((f) => f.timeMs >= cut)!.reason).toBe('scene');
  });

  it('yields small upright JPEGs with a 64-bit hash, never enlarged', async () => {
    const [first] = await framesOf(cuts);
    expect(first).toMatchObject({ width: 320, height: 180 });
    expect(first.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(await sharp(first.jpeg).metadata()).toMatchObject({ format: 'jpeg', width: 320, height: 180 });
    const [small] = await framesOf(cuts, { frameLongSide: 160 });
    expect(small).toMatchObject({ width: 160, height: 90 });
    expect(await sharp(small.jpeg).metadata()).toMatchObject({ width: 160, height: 90 });
  });

  it('turns a portrait phone video upright: taller than wide, the top where the phone shows it', async () => {
    const [frame] = await framesOf(portrait);
    expect(frame).toMatchObject({ width: 180, height: 320 });
    const { data, info } = await sharp(frame.jpeg).raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => [...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)];
    // Stored left half red, right half blue; the phone shows the red half on top.
    const [top, bottom] = [pixel(90, 40), pixel(90, 280)];
    expect(top[0]).toBeGreaterThan(200);
    expect(top[2]).toBeLessThan(60);
    expect(bottom[2]).toBeGreaterThan(200);
    expect(bottom[0]).toBeLessThan(60);
  });

  it('takes times from the frames’ timestamps, so a variable frame rate does not skew them', async () => {
    const frames = await framesOf(vfr);
    const scene = frames.find((f) => f.reason === 'scene')!;
    // Counting frames at 25 fps would put this cut at 1.0 s.
    expect(scene.timeMs).toBeGreaterThanOrEqual(vfr.cutMs);
    // B-frames are not decoded: the first frame after the cut may be a few frames late.
    expect(scene.timeMs).toBeLessThan(vfr.cutMs + 400);
  });

  it('covers footage without cuts with floor frames, a still picture too, never a gap over the floor', async () => {
    const frames = await framesOf(panThenStill);
    expect(frames[0].reason).toBe('first');
    expect(longestGap(frames, panThenStill.info.durationMs)).toBeLessThanOrEqual(2000);
    expect(missedCuts(frames, [panThenStill.stillFromMs])).toEqual([]);
    const still = frames.filter((f) => f.timeMs >= panThenStill.stillFromMs);
    // The unchanged picture is kept for the floor, each the same picture.
    expect(still.length).toBeGreaterThan(1);
    for (const repeat of still.slice(1)) {
      expect(repeat.reason).toBe('floor');
      expect(hammingDistance(repeat.hash, still[0].hash)).toBeLessThanOrEqual(settings.hashDistance);
    }
  });

  it('makes a burst of cuts shorter than the minimum gap into one frame, its last', async () => {
    // With a 2 s gap, the cuts at 1.32 s and 2.56 s are one burst (after the first frame, kept
    // as is), and so are those at 4.04 s and 5.2 s.
    // A floor due would end a burst early: here it is not.
    const scenes = (await framesOf(cuts, { minGapSeconds: 2, floorSeconds: 15 })).filter((f) => f.reason === 'scene');
    expect(scenes).toHaveLength(3);
    const [second, third] = scenes;
    expect(second.timeMs).toBeGreaterThanOrEqual(2560);
    expect(second.timeMs).toBeLessThan(1320 + 2000);
    expect(third.timeMs).toBeGreaterThanOrEqual(5200);
    expect(third.timeMs).toBeLessThan(4040 + 2000);
    expect(missedCuts(scenes, cuts.cutsMs)).toEqual([1320, 4040, 6480].filter((cut) => !scenes.some((f) => f.timeMs >= cut && f.timeMs - cut < 1000)));
  });

  it('gives the scenes after a long high-motion scene their frames, with the default budget and floor', async () => {
    const frames = await framesOf(highMotionEnding, frameSelectionSettings());
    expect(missedCuts(frames, highMotionEnding.cutsMs)).toEqual([]);
    // The static is not a run of cuts: it gets the floor's frames, no more.
    const inStatic = frames.filter((f) => f.timeMs > 7500 && f.timeMs < 31_000);
    expect(inStatic.every((f) => f.reason === 'floor')).toBe(true);
    expect(inStatic.length).toBeLessThanOrEqual(2);
    expect(longestGap(frames, highMotionEnding.info.durationMs)).toBeLessThanOrEqual(15_000);
    expect(frames.length).toBeLessThanOrEqual(frameBudget(highMotionEnding.info.durationMs, frameSelectionSettings()));
  });

  it('finds the cuts into and out of static noise, and no cut inside it', async () => {
    const frames = await framesOf(staticBetween, { floorSeconds: 15 });
    expect(missedCuts(frames, staticBetween.cutsMs)).toEqual([]);
    const insideNoise = frames.filter((f) => staticBetween.noiseMs.some(([from, to]) => f.timeMs > from + 1000 && f.timeMs < to));
    expect(insideNoise).toEqual([]);
  });

  it('keeps no frame of a flash, and one frame at most for it: the picture that came back', async () => {
    const frames = await framesOf(flash, { floorSeconds: 15 });
    expect(frames.length).toBeLessThanOrEqual(2);
    for (const frame of frames) {
      const { channels } = await sharp(frame.jpeg).stats();
      expect(channels[0].mean).toBeLessThan(230);
    }
    expect(frames.filter((f) => f.timeMs >= flash.flashMs).every((f) => f.timeMs >= flash.flashMs + 80)).toBe(true);
  });

  it('a slow dissolve gives no flood of frames, and the picture after it is in the timeline', async () => {
    const frames = await framesOf(dissolve, { floorSeconds: 3 });
    const during = frames.filter((f) => f.timeMs > 5000 && f.timeMs < dissolve.dissolvedMs);
    expect(during.length).toBeLessThanOrEqual(2);
    const after = frames.filter((f) => f.timeMs >= dissolve.dissolvedMs);
    expect(after.length).toBeGreaterThan(0);
    expect(hammingDistance(after[0].hash, frames[0].hash)).toBeGreaterThan(settings.hashDistance);
  });

  it('spreads a 3-hour video’s budget to the end: no gap over the floor, no more than the budget', async () => {
    const defaults = frameSelectionSettings();
    const frames = await framesOf(threeHours, defaults);
    expect(frames.length).toBeLessThanOrEqual(frameBudget(threeHours.info.durationMs, defaults));
    expect(longestGap(frames, threeHours.info.durationMs)).toBeLessThanOrEqual(15_000);
    expect(frames.at(-1)!.timeMs).toBeGreaterThan(threeHours.info.durationMs - 15_000);
  }, 120_000);

  it('spends no more than the budget', async () => {
    // A clip under a minute gets a minute's worth: 2 frames.
    const frames = await framesOf(cuts, { maxFramesPerMinute: 2 });
    expect(frames).toHaveLength(2);
    expect(frames.map((f) => f.index)).toEqual([0, 1]);
  });

  it('gives the same frames and bytes for the same file and settings', async () => {
    const [once, again] = [await framesOf(cuts), await framesOf(cuts)];
    expect(again.map((f) => [f.timeMs, f.reason, f.hash])).toEqual(once.map((f) => [f.timeMs, f.reason, f.hash]));
    again.forEach((frame, i) => expect(frame.jpeg.equals(once[i].jpeg)).toBe(true));
  });

  it('reports progress as decoding passes through the video, ending at its duration', async () => {
    const reported: number[] = [];
    await framesOf(cuts, {}, (ms) => reported.push(ms));
    expect(reported.length).toBeGreaterThan(3);
    for (let i = 1; i < reported.length; i++) expect(reported[i]).toBeGreaterThanOrEqual(reported[i - 1]);
    expect(reported.at(-1)).toBe(cuts.info.durationMs);
  });

  it('decodes a longer video in parts side by side, finding the cuts on both sides of the seam', async () => {
    const reported: number[] = [];
    const frames = await framesOf(twoMinutes, { floorSeconds: 10, maxFramesPerMinute: 30 }, (ms) => reported.push(ms));
    // The processes that decode a part read the packets meant for it from where the part starts.
    const starts = ffmpegRuns()
      .filter(({ args }) => args.includes('-bsf:v') && !args.some((a) => a.startsWith('noise=drop=not(between(pos,')))
      .map(({ args }) => (args.includes('-ss') ? Number.parseFloat(args[args.indexOf('-ss') + 1]) : 0));
    if (os.availableParallelism() >= 2) expect(starts.some((ms) => ms >= 50_000)).toBe(true);
    expect(starts).toContain(0);
    expect(missedCuts(frames, twoMinutes.cutsMs)).toEqual([]);
    expect(frames.map((f) => f.index)).toEqual(frames.map((_, i) => i));
    for (let i = 1; i < frames.length; i++) expect(frames[i].timeMs).toBeGreaterThan(frames[i - 1].timeMs);
    // Only the first part's first frame is the video's first; no part leaves a gap in the floor.
    expect(frames.filter((f) => f.reason === 'first')).toHaveLength(1);
    expect(longestGap(frames, twoMinutes.info.durationMs)).toBeLessThanOrEqual(10_000);
    expect(reported.at(-1)).toBe(twoMinutes.info.durationMs);
  });

  it('kills ffmpeg when aborted, and when the caller stops early', async () => {
    const controller = new AbortController();
    const frames = selectFrames(cuts.file, cuts.info, settings, { signal: controller.signal });
    await frames.next();
    // Nobody reads further, so the decoder waits with the next frame half-written: still running.
    const running = ffmpegRuns().filter(({ child }) => child.exitCode === null);
    expect(running.length).toBeGreaterThan(0);
    controller.abort();
    await expect(frames.next()).rejects.toMatchObject({ name: 'AbortError' });
    for (const { child } of running) {
      await new Promise((resolve) => (child.exitCode !== null || child.signalCode ? resolve(null) : child.once('exit', resolve)));
      expect(child.signalCode).toBe('SIGKILL');
    }

    vi.mocked(spawn).mockClear();
    // Two minutes: more output than a pipe holds, so ffmpeg cannot have finished on its own by the
    // time the caller stops, however slow the machine is.
    for await (const frame of selectFrames(twoMinutes.file, twoMinutes.info, settings)) if (frame.index === 0) break;
    const runs = ffmpegRuns();
    for (const { child: stopped } of runs) {
      await new Promise((resolve) => (stopped.exitCode !== null || stopped.signalCode ? resolve(null) : stopped.once('exit', resolve)));
      expect(stopped.exitCode === 0 || stopped.signalCode === 'SIGKILL').toBe(true);
    }
    expect(runs.some(({ child }) => child.signalCode === 'SIGKILL')).toBe(true);
  });

  it('reports a file that stops being readable as corrupt', async () => {
    const copy = path.join(dir, 'vanishing.mp4');
    await copyFile(cuts.file, copy);
    const info = await probeVideo(copy, limits);
    await unlink(copy);
    const error = await rejectionWith(framesOf({ file: copy, info }), 'corrupt_file');
    expect(error.message).toBe('This video could not be read to the end; it may be truncated or corrupt.');
  });
});

describe('frameBudget', () => {
  const defaults = frameSelectionSettings();

  it('allows maxFramesPerMinute for each minute, and a whole minute’s worth to a shorter video', () => {
    expect(frameBudget(60 * 60_000, defaults)).toBe(480);
    expect(frameBudget(90_000, defaults)).toBe(12);
    expect(frameBudget(5_000, defaults)).toBe(8);
  });

  it('never exceeds maxFrames', () => {
    expect(frameBudget(3 * 60 * 60_000, defaults)).toBe(1000);
    expect(frameBudget(60 * 60_000, { ...defaults, maxFrames: 100 })).toBe(100);
  });
});

describe('frameSelectionSettings', () => {
  it('reads overrides from the environment and refuses nonsense', () => {
    vi.stubEnv('VIDEO_CUT_DIFFERENCE', '20');
    vi.stubEnv('VIDEO_FLOOR_SECONDS', '20');
    expect(frameSelectionSettings()).toMatchObject({ cutDifference: 20, floorSeconds: 20 });
    vi.stubEnv('VIDEO_CUT_DIFFERENCE', '300');
    expect(() => frameSelectionSettings()).toThrow('VIDEO_CUT_DIFFERENCE must be a number from 0 to 255, got "300"');
    vi.unstubAllEnvs();
  });
});
