import { availableParallelism } from 'node:os';
import sharp from 'sharp';
import { AppError } from '@/lib/errors';
import { type CutSettings, judgeCuts, type Judged, thumbDifference } from './cuts';
import { type DecodedFrame, decodeFrames } from './decode';
import { type DecodePlan, floorGrid, keyframesToCompareIn, planDecoding, rangeExpression } from './decode-plan';
import { type Packet, type PacketScan, scanPackets } from './packets';
import { hammingDistance, perceptualHash } from './phash';
import type { VideoInfo } from './probe';
import { ToolError } from './run';

export interface FrameSelectionSettings extends CutSettings {
  /** No stretch of video longer than this without a selected frame, whatever the content. */
  floorSeconds: number;
  /**
   * Cuts closer than this to the first of a burst (a flash, a montage) become one frame, the burst's
   * last. The next burst may start right after, so a cut is never lost to the gap.
   */
  minGapSeconds: number;
  /** A frame whose hash is within this many bits of the last kept one is a repeat and dropped. */
  hashDistance: number;
  maxFramesPerMinute: number;
  maxFrames: number;
  /** Frames are scaled to fit this box, never enlarged. */
  frameLongSide: number;
  jpegQuality: number;
}

export interface SelectedFrame {
  /** 0, 1, 2… among the frames selected, in time order. */
  index: number;
  timeMs: number;
  reason: 'first' | 'scene' | 'floor';
  /** 64-bit perceptual hash, 16 hex digits (see ./phash). */
  hash: string;
  jpeg: Buffer;
  width: number;
  height: number;
}

/**
 * Defaults, chosen on bench/video-frames.ts (an hour of 720p30 with 110 cuts and 14 high-motion
 * scenes, and an hour of 720p25 with 100 cuts):
 * - cutDifference 12: within a scene consecutive thumbnails differ by 0–12 levels (fast patterns
 *   and noise included, the thumbnail averages them out); cuts there differ by 25–130.
 * - cutContrast 3: a cut stands three times above the typical difference around it.
 * - floorSeconds 15: a frame per 15 s of footage without cuts, at most 240 an hour.
 * - minGapSeconds 1: a burst of cuts (flashes, a montage) gives one frame a second, the burst's
 *   last, which is still within 1 s after each cut in it.
 * - hashDistance 4: re-encoding a picture changes 0–2 of the 64 bits (see ./phash), a new shot about 32.
 * - maxFramesPerMinute 8 (480 an hour): sent as 2 × 2 grids to gpt-4o that is at most 120 grids ×
 *   765 tokens ≈ 92 k image tokens per video-hour, under the 100 k target even for the busiest video.
 * - maxFrames 1000: a 3-hour video gets at most 5.6 frames a minute, 720 of them for the floor.
 * - frameLongSide 512: one OpenAI tile per frame, and four frames in a grid of four tiles.
 * - jpegQuality 80: about 30 KB per 512 × 288 frame there, to store and to send.
 */
const defaults: FrameSelectionSettings = {
  cutDifference: 12,
  cutContrast: 3,
  floorSeconds: 15,
  minGapSeconds: 1,
  hashDistance: 4,
  maxFramesPerMinute: 8,
  maxFrames: 1000,
  frameLongSide: 512,
  jpegQuality: 80,
};

/** The defaults above, each overridable from the environment (VIDEO_CUT_DIFFERENCE, VIDEO_FLOOR_SECONDS, …). */
export function frameSelectionSettings(): FrameSelectionSettings {
  return {
    cutDifference: numberFromEnv('VIDEO_CUT_DIFFERENCE', defaults.cutDifference, 0, 255),
    cutContrast: numberFromEnv('VIDEO_CUT_CONTRAST', defaults.cutContrast, 1, Infinity),
    floorSeconds: numberFromEnv('VIDEO_FLOOR_SECONDS', defaults.floorSeconds, 0.1, Infinity),
    minGapSeconds: numberFromEnv('VIDEO_MIN_GAP_SECONDS', defaults.minGapSeconds, 0, Infinity),
    hashDistance: Math.floor(numberFromEnv('VIDEO_HASH_DISTANCE', defaults.hashDistance, 0, 64)),
    maxFramesPerMinute: numberFromEnv('VIDEO_MAX_FRAMES_PER_MINUTE', defaults.maxFramesPerMinute, 0.1, Infinity),
    maxFrames: Math.floor(numberFromEnv('VIDEO_MAX_FRAMES', defaults.maxFrames, 1, Infinity)),
    frameLongSide: Math.floor(numberFromEnv('VIDEO_FRAME_LONG_SIDE', defaults.frameLongSide, 16, 4096)),
    jpegQuality: Math.floor(numberFromEnv('VIDEO_JPEG_QUALITY', defaults.jpegQuality, 1, 100)),
  };
}

// Unlike lib/config's intFromEnv, fractions (a threshold) and zero (a distance) are valid here.
function numberFromEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`${name} must be a number from ${min} to ${max}, got "${raw}"`);
  return value;
}

/** How many frames a video may get: `maxFramesPerMinute` of its length (a minute's worth at least), at most `maxFrames`. */
export function frameBudget(durationMs: number, settings: FrameSelectionSettings): number {
  return Math.min(settings.maxFrames, Math.ceil(Math.max(1, durationMs / 60_000) * settings.maxFramesPerMinute));
}


// How far ahead of an even spread over the video the budget may be spent on cuts, so that a burst
// of cuts early on cannot starve the rest.
const budgetLeadMs = 60_000;
// Keyframes further apart than this (0–255) are rarely one scene moving: see bench/video-frames.ts.
const changedMuchDifference = 40;
// A part has its own keyframe to start from and its own processes; below this it does not pay.
const minPartMs = 60_000;
// A frame proposed this soon after a cut stands for it; later, the cut's own frame is decoded again.
const proposedWithinMs = 300;

type ChosenFrame = Omit<SelectedFrame, 'index'>;

/**
 * The frames that represent a video, in time order. The packets are read first (./packets, no
 * decoding) to plan what to decode at all (./decode-plan): the places where a cut may be, the
 * keyframes and floor points, and whole GOPs where sizes say nothing. Decoding is split into parts
 * of equal work, one pair of ffmpeg processes per CPU core (./decode); every decoded frame is judged
 * against its neighbours (./cuts). Kept: the video's first frame; the last frame of each burst of
 * cuts shorter than `minGapSeconds` (after a flash, the picture that came back); and, whenever the
 * floor interval would otherwise pass without one, the latest frame that can be — so no stretch
 * longer than the floor goes without a frame. A cut back to the previous kept picture (by perceptual
 * hash) is dropped. The budget is spread over the video, and what the
 * floor needs until the end is never spent on cuts. The first part's frames stream out as they are
 * chosen, the later parts' are held until their turn. Same file and settings, same frames and bytes.
 */
export async function* selectFrames(
  filePath: string,
  info: VideoInfo,
  settings: FrameSelectionSettings,
  options: { signal?: AbortSignal; onProgress?: (processedMs: number) => void } = {},
): AsyncGenerator<SelectedFrame> {
  // Stops every part's ffmpeg when the caller aborts, stops early or one part fails.
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  let index = 0;
  let previous: ChosenFrame | undefined;
  try {
    const budget = frameBudget(info.durationMs, settings);
    const scan = await scanPackets(filePath, signal);
    const partCount = Math.max(1, Math.min(availableParallelism(), Math.floor(info.durationMs / minPartMs)));
    const { floorMs, floorSpacingMs } = coveringFloor(scan, info.durationMs, settings.floorSeconds * 1000, budget - partCount);
    const keyThumbs = await keyframeThumbnails(filePath, info, scan, keyframesToCompareIn(scan), partCount, signal);
    const plan = planDecoding(scan, info.durationMs, {
      floorMs,
      floorSpacingMs,
      parts: partCount,
      unchanged: (from, to) => {
        const [a, b] = [keyThumbs.get(from.pos), keyThumbs.get(to.pos)];
        // Less than any cut changes a thumbnail: the same scene, moved on a little at most.
        return a !== undefined && b !== undefined && thumbDifference(a, b) < settings.cutDifference;
      },
      changedMuch: (from, to) => {
        const [a, b] = [keyThumbs.get(from.pos), keyThumbs.get(to.pos)];
        return a !== undefined && b !== undefined && thumbDifference(a, b) >= changedMuchDifference;
      },
    });
    const size = frameSize(info, settings.frameLongSide);
    const processed = plan.parts.map(() => 0);
    const reportProgress = (part: number, ms: number) => {
      processed[part] = ms;
      options.onProgress?.(processed.reduce((sum, each) => sum + each, 0));
    };
    const budgetBefore = (ms: number) => Math.round((budget * ms) / info.durationMs);

    const chosen = plan.parts.map((part, i) => {
      const endMs = part.toMs ?? info.durationMs;
      const decoded = decodeFrames(filePath, info, { ...part, ...size, signal });
      const inVideoTime = (async function* () {
        for await (const frame of decoded) {
          const timeMs = frame.timeMs - scan.startMs;
          reportProgress(i, Math.max(0, Math.min(endMs, timeMs) - part.fromMs));
          yield { ...frame, timeMs };
        }
      })();
      const chooser = new PartChooser(
        { fromMs: part.fromMs, toMs: endMs, budget: budgetBefore(endMs) - budgetBefore(part.fromMs), opensVideo: i === 0 },
        plan,
        floorMs,
        settings,
        size,
        (timeMs) => framePixels(filePath, info, scan, timeMs, size, signal),
      );
      return chooser.choose(judgeCuts(inVideoTime, plan.spans, settings), () => reportProgress(i, endMs - part.fromMs));
    });

    // Only the first part is pulled at the caller's pace; the others run ahead, holding what they choose.
    for (const frames of [chosen[0], ...chosen.slice(1).map(prefetch)]) {
      let opening = true;
      for await (const frame of frames) {
        // A part does not see the frame the previous part ended on: its opening frame may repeat it,
        // a moment later; further on it is the floor's.
        const repeat = opening && previous !== undefined && hammingDistance(frame.hash, previous.hash) <= settings.hashDistance;
        opening = false;
        if (repeat && frame.timeMs - previous!.timeMs < settings.minGapSeconds * 1000) continue;
        previous = frame;
        // Frames chosen before an abort are not handed out after it.
        options.signal?.throwIfAborted();
        yield { index: index++, ...frame };
      }
    }
  } catch (cause) {
    options.signal?.throwIfAborted();
    if (!(cause instanceof ToolError)) throw cause;
    throw new AppError('corrupt_file', 'This video could not be read to the end; it may be truncated or corrupt.', { cause });
  } finally {
    stop.abort();
  }
}

/**
 * The full picture of one frame already seen as a thumbnail (video time): a cut found where no
 * frame was proposed. Decodes from the keyframe before it to it, nothing else.
 */
async function framePixels(
  filePath: string,
  info: VideoInfo,
  scan: PacketScan,
  timeMs: number,
  size: { width: number; height: number },
  signal: AbortSignal,
): Promise<Buffer | undefined> {
  const at = timeMs + scan.startMs;
  const target = scan.packets.find((p) => Math.abs(p.timeMs - at) < 1.5);
  const key = scan.packets.findLast((p) => p.key && p.timeMs <= at + 1.5);
  if (!target || !key) return undefined;
  const request = {
    fromMs: Math.max(0, key.timeMs - scan.startMs),
    toMs: timeMs + 1000,
    keep: `between(pos,${key.pos},${target.pos})`,
    thumbnail: `between(t,${(at - 1.5) / 1000},${(at + 1.5) / 1000})`,
    propose: '1',
    ...size,
    signal,
  };
  for await (const frame of decodeFrames(filePath, info, request)) if (frame.pixels) return frame.pixels;
  return undefined;
}

/** Thumbnails of the given keyframes by packet offset, decoded side by side in `parts` (only they are decoded). */
async function keyframeThumbnails(filePath: string, info: VideoInfo, scan: PacketScan, keyframes: Packet[], parts: number, signal: AbortSignal) {
  const byTime = new Map(keyframes.map((k) => [Math.round(k.timeMs), k.pos]));
  const sorted = [...keyframes].sort((a, b) => a.pos - b.pos);
  const thumbs = new Map<number, Buffer>();
  const share = Math.ceil(sorted.length / parts);
  await Promise.all(
    Array.from({ length: parts }, async (_, i) => {
      const mine = sorted.slice(i * share, (i + 1) * share);
      if (mine.length === 0) return;
      const request = {
        fromMs: Math.max(0, mine[0].timeMs - scan.startMs),
        toMs: mine.at(-1)!.timeMs - scan.startMs + 1000,
        keep: rangeExpression('pos', mine.map((k) => ({ fromMs: k.pos, toMs: k.pos }))),
        thumbnail: '1',
        propose: '0',
        width: 16,
        height: 16,
        signal,
      };
      for await (const frame of decodeFrames(filePath, info, request)) {
        const pos = byTime.get(frame.timeMs) ?? byTime.get(frame.timeMs + 1) ?? byTime.get(frame.timeMs - 1);
        if (pos !== undefined) thumbs.set(pos, frame.thumb);
      }
    }),
  );
  return thumbs;
}

/**
 * The floor interval the budget can pay for: the configured one, unless the budget is too small to
 * give a frame that often (then as often as it can), counted on the frames the floor would use.
 */
function coveringFloor(scan: PacketScan, durationMs: number, floorMs: number, budget: number): { floorMs: number; floorSpacingMs: number } {
  const keyframes = scan.packets.filter((p) => p.key).map((p) => p.timeMs - scan.startMs);
  const fits = (floor: number, spacing: number) => floorFramesNeeded(floorGrid(keyframes, durationMs, floor, spacing), floor, 0, durationMs) <= budget;
  // Keyframes alone cost nothing more to decode; points between them bring floor frames nearer the floor apart.
  if (fits(floorMs, floorMs)) return { floorMs, floorSpacingMs: floorMs };
  let floor = floorMs;
  while (!fits(floor, floor / 3) && floor < durationMs) floor *= 1.1;
  return { floorMs: floor, floorSpacingMs: floor / 3 };
}

/** How many floor frames cover (fromMs, toMs], each the latest grid point within the floor of the one before. */
function floorFramesNeeded(grid: number[], floorMs: number, fromMs: number, toMs: number): number {
  let count = 0;
  let covered = fromMs;
  // The grid is sorted: `next` only moves forward.
  let next = 0;
  while (toMs - covered > floorMs) {
    while (next < grid.length && grid[next] <= covered) next++;
    let latest = next;
    while (latest + 1 < grid.length && grid[latest + 1] <= covered + floorMs) latest++;
    covered = latest < grid.length && grid[latest] <= covered + floorMs ? grid[latest] : covered + floorMs;
    count++;
  }
  return count;
}

/** The upright size frames are sent at: the displayed size fitted into `longSide`, never enlarged. */
function frameSize(info: VideoInfo, longSide: number) {
  const scale = Math.min(1, longSide / Math.max(info.width, info.height));
  return { width: Math.max(1, Math.round(info.width * scale)), height: Math.max(1, Math.round(info.height * scale)) };
}

type Frame = DecodedFrame & Judged;
type FullFrame = Frame & { pixels: Buffer };

/** Chooses one part's frames from its decoded frames, as selectFrames describes. */
class PartChooser {
  private kept = 0;
  /** Every moment up to here has a kept frame within the floor before it. */
  private coveredMs: number;
  private lastHash: string | undefined;
  /** The latest frame that could be kept for the floor. */
  private held: FullFrame | undefined;
  private burst: { openedMs: number; lastCut: Frame; frame?: FullFrame } | undefined;
  private readonly grid: number[];
  private readonly keyCuts: Set<number>;
  private readonly raw;

  constructor(
    private readonly part: { fromMs: number; toMs: number; budget: number; opensVideo: boolean },
    plan: DecodePlan,
    private readonly floorMs: number,
    private readonly settings: FrameSelectionSettings,
    private readonly size: { width: number; height: number },
    private readonly fetchPixels: (timeMs: number) => Promise<Buffer | undefined>,
  ) {
    this.coveredMs = part.fromMs;
    this.grid = plan.floorMs.filter((ms) => ms >= part.fromMs && ms < part.toMs);
    this.keyCuts = new Set(plan.keyCutsMs.map(Math.round));
    this.raw = { ...size, channels: 3 } as const;
  }

  async *choose(frames: AsyncIterable<Frame>, onFinished: () => void): AsyncGenerator<ChosenFrame> {
    let first = true;
    for await (const frame of frames) {
      if (first && frame.pixels) {
        first = false;
        // The video's first frame stands for its opening; a later part's first is there because the part starts.
        const opening = await this.keep(frame as FullFrame, this.part.opensVideo ? 'first' : 'floor');
        if (opening) yield opening;
        continue;
      }
      yield* this.offer(frame);
    }
    yield* this.closeBurst();
    if (this.part.toMs - this.coveredMs > this.floorMs) yield* this.keepHeld();
    onFinished();
  }

  private async *offer(frame: Frame): AsyncGenerator<ChosenFrame> {
    const { burst } = this;
    // A cut's own frame may not have been proposed: one proposed soon after it will do, else it is fetched.
    if (burst && (frame.timeMs >= burst.openedMs + this.settings.minGapSeconds * 1000 || frame.timeMs > this.coveredMs + this.floorMs)) {
      if (burst.frame || frame.timeMs > burst.lastCut.timeMs + proposedWithinMs) yield* this.closeBurst();
    }
    if (frame.timeMs > this.coveredMs + this.floorMs) yield* this.keepHeld();

    // A keyframe an encoder put off its interval is where a cut is, though nothing before it was decoded to compare.
    const cut = frame.cut || (frame.opensRun && this.keyCuts.has(Math.round(frame.timeMs)));
    if (cut) {
      const current = this.burst;
      if (current && frame.timeMs < current.openedMs + this.settings.minGapSeconds * 1000) {
        current.lastCut = frame;
        current.frame = undefined;
      } else {
        yield* this.closeBurst();
        this.burst = { openedMs: frame.timeMs, lastCut: frame };
      }
    }
    if (!frame.pixels) return;
    const full = frame as FullFrame;
    const open = this.burst;
    if (open && !open.frame && frame.timeMs >= open.lastCut.timeMs && frame.timeMs <= open.lastCut.timeMs + proposedWithinMs) open.frame = full;
    this.held = full;
  }

  private async *closeBurst(): AsyncGenerator<ChosenFrame> {
    const burst = this.burst;
    this.burst = undefined;
    if (!burst) return;
    let frame = burst.frame;
    if (!frame) {
      const pixels = burst.lastCut.pixels ?? (await this.fetchPixels(burst.lastCut.timeMs));
      if (!pixels) return;
      frame = { ...burst.lastCut, pixels };
    }
    const kept = await this.keep(frame, 'scene');
    if (kept) yield kept;
  }

  /** The floor is due: the latest frame since the last kept one. */
  private async *keepHeld(): AsyncGenerator<ChosenFrame> {
    const held = this.held;
    this.held = undefined;
    if (!held || held.timeMs <= this.coveredMs) return;
    const kept = await this.keep(held, 'floor');
    if (kept) yield kept;
  }

  private async keep(frame: FullFrame, reason: SelectedFrame['reason']): Promise<ChosenFrame | undefined> {
    if (frame.timeMs <= this.coveredMs && this.kept > 0) return undefined;
    const hash = await perceptualHash(frame.pixels, this.raw);
    // A cut back to the picture kept last adds nothing; the floor keeps even an unchanged picture,
    // so that no stretch of the timeline is without a frame of its own.
    if (reason === 'scene' && this.lastHash !== undefined && hammingDistance(hash, this.lastHash) <= this.settings.hashDistance) return undefined;
    if (reason === 'scene' && !this.affordsCut(frame.timeMs)) return undefined;
    if (this.kept >= this.part.budget) return undefined;
    this.kept++;
    this.coveredMs = frame.timeMs;
    this.lastHash = hash;
    if (this.held && this.held.timeMs <= frame.timeMs) this.held = undefined;
    const jpeg = await sharp(frame.pixels, { raw: this.raw }).jpeg({ quality: this.settings.jpegQuality, mozjpeg: false }).toBuffer();
    return { timeMs: Math.round(frame.timeMs), reason, hash, jpeg, ...this.size };
  }

  /** A cut's frame is kept while the budget so far allows it and what the floor needs until the end is left. */
  private affordsCut(timeMs: number): boolean {
    const { fromMs, toMs, budget } = this.part;
    const dueByNow = Math.ceil((budget * (timeMs - fromMs + budgetLeadMs)) / (toMs - fromMs));
    if (this.kept >= Math.min(budget, dueByNow)) return false;
    return this.kept + 1 + floorFramesNeeded(this.grid, this.floorMs, timeMs, toMs) <= budget;
  }
}

/** Runs `source` to its end in the background, holding what it yields until asked for. */
function prefetch<T>(source: AsyncGenerator<T>): AsyncGenerator<T> {
  const items: T[] = [];
  let finished = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const wakeUp = () => {
    wake?.();
    wake = undefined;
  };
  void (async () => {
    try {
      for await (const item of source) {
        items.push(item);
        wakeUp();
      }
    } catch (error) {
      failure = error;
    } finally {
      finished = true;
      wakeUp();
    }
  })();
  return (async function* () {
    for (;;) {
      if (items.length > 0) yield items.shift()!;
      else if (finished) {
        if (failure !== undefined) throw failure;
        return;
      } else await new Promise<void>((resolve) => (wake = resolve));
    }
  })();
}
