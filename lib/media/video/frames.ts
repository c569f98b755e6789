import { availableParallelism } from 'node:os';
import sharp from 'sharp';
import { AppError } from '@/lib/errors';
import { type Candidate, proposeFrames } from './candidates';
import { hammingDistance, perceptualHash } from './phash';
import type { VideoInfo } from './probe';
import { ToolError } from './run';

export interface FrameSelectionSettings {
  /** ffmpeg's scene score (0–1) above which a frame counts as a cut. */
  sceneThreshold: number;
  /** Without a cut, one frame at least this often, so slow or cut-free footage is still covered. */
  floorSeconds: number;
  /**
   * Proposals closer than this to the first of a burst (a flash, a montage, a dissolve) become one
   * frame, the burst's last. The next burst may start right after, so a cut is never lost to the gap.
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
 * Defaults, chosen on bench/video-frames.ts (an hour of 720p with 100 cuts):
 * - sceneThreshold 0.2: the lowest-scoring cut there scores 0.22. 0.15 also finds every cut with
 *   17 % more frames (false alarms, mostly fast pans); 0.3 misses two cuts; 0.1 spends the budget
 *   on false alarms and then misses two.
 * - floorSeconds 15: a frame per 15 s of footage without cuts, at most 240 an hour.
 * - minGapSeconds 1: a burst of cuts (flashes, a montage) gives one frame a second, the burst's
 *   last, which is still within 1 s after each cut in it.
 * - hashDistance 4: re-encoding a picture changes 0–2 of the 64 bits (see ./phash), a new shot about 32.
 * - maxFramesPerMinute 8 (480 an hour): sent as 2 × 2 grids to gpt-4o that is at most 120 grids ×
 *   765 tokens ≈ 92 k image tokens per video-hour, under the 100 k target even for the busiest video.
 * - maxFrames 1000: a 3-hour video gets at most 5.6 frames a minute.
 * - frameLongSide 512: one OpenAI tile per frame, and four frames in a grid of four tiles.
 * - jpegQuality 80: about 30 KB per 512 × 288 frame there, to store and to send.
 */
const defaults: FrameSelectionSettings = {
  sceneThreshold: 0.2,
  floorSeconds: 15,
  minGapSeconds: 1,
  hashDistance: 4,
  maxFramesPerMinute: 8,
  maxFrames: 1000,
  frameLongSide: 512,
  jpegQuality: 80,
};

/** The defaults above, each overridable from the environment (VIDEO_SCENE_THRESHOLD, VIDEO_FLOOR_SECONDS, …). */
export function frameSelectionSettings(): FrameSelectionSettings {
  return {
    sceneThreshold: numberFromEnv('VIDEO_SCENE_THRESHOLD', defaults.sceneThreshold, 0, 1),
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

// How far ahead of an even spread over the video the budget may be spent, so that a burst of cuts
// early on cannot starve the rest.
const budgetLeadMs = 60_000;
// Each part after the first starts decoding at the keyframe before it (often up to 10 s earlier), so
// a part must be long enough for a process of its own to pay.
const minPartMs = 60_000;

interface Part {
  startMs: number;
  /** Undefined for the last part, which runs to the end of the file. */
  endMs?: number;
  lengthMs: number;
  budget: number;
}

type ChosenFrame = Omit<SelectedFrame, 'index'>;

/**
 * The frames that represent a video, in time order. Decoding (nearly all of the cost) is split into
 * consecutive parts, one ffmpeg process per CPU core, each a single streaming decode of its part
 * (see ./candidates). The video's first frame is kept; of the frames proposed after it for a cut or
 * the floor, a burst less than `minGapSeconds` long becomes its last frame (after a flash, that is
 * the picture that came back); a repeat of the previous kept frame by perceptual hash is dropped;
 * and the budget is spent evenly over the video. The first part's frames stream out as they are
 * chosen, the later parts' are held until their turn. Same file and settings, same frames and bytes.
 */
export async function* selectFrames(
  filePath: string,
  info: VideoInfo,
  settings: FrameSelectionSettings,
  options: { signal?: AbortSignal; onProgress?: (processedMs: number) => void } = {},
): AsyncGenerator<SelectedFrame> {
  const budget = frameBudget(info.durationMs, settings);
  // Floor frames may use at most half of the budget; the other half is for cuts.
  const floorSeconds = Math.max(settings.floorSeconds, (2 * info.durationMs) / 1000 / budget);
  const size = frameSize(info, settings.frameLongSide);
  const parts = splitIntoParts(info.durationMs, budget);
  const processed = parts.map(() => 0);
  const reportProgress = (part: number, ms: number) => {
    processed[part] = ms;
    options.onProgress?.(processed.reduce((sum, each) => sum + each, 0));
  };
  // Stops every part's ffmpeg when the caller aborts, stops early or one part fails.
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;

  const chosen = parts.map((part, i) => {
    const candidates = proposeFrames(filePath, info, {
      ...part,
      ...size,
      sceneThreshold: settings.sceneThreshold,
      floorSeconds,
      signal,
      onProposal: (timeMs) => reportProgress(i, timeMs - part.startMs),
    });
    return chooseFrames(candidates, part, settings, size, () => reportProgress(i, part.lengthMs));
  });

  let index = 0;
  let previousHash: string | undefined;
  try {
    // Only the first part is pulled at the caller's pace; the others run ahead, holding what they choose.
    for (const frames of [chosen[0], ...chosen.slice(1).map(prefetch)]) {
      for await (const frame of frames) {
        // A part does not see the frame the previous part ended on.
        if (previousHash !== undefined && hammingDistance(frame.hash, previousHash) <= settings.hashDistance) continue;
        previousHash = frame.hash;
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

/** One part per CPU core, each at least a minute long; the budget shared out by length. */
function splitIntoParts(durationMs: number, budget: number): Part[] {
  const count = Math.max(1, Math.min(availableParallelism(), Math.floor(durationMs / minPartMs)));
  const boundary = (i: number) => Math.round((durationMs * i) / count);
  const budgetBefore = (i: number) => Math.round((budget * i) / count);
  return Array.from({ length: count }, (_, i) => ({
    startMs: boundary(i),
    endMs: i === count - 1 ? undefined : boundary(i + 1),
    lengthMs: boundary(i + 1) - boundary(i),
    budget: budgetBefore(i + 1) - budgetBefore(i),
  }));
}

/** The upright size frames are sent at: the displayed size fitted into `longSide`, never enlarged. */
function frameSize(info: VideoInfo, longSide: number) {
  const scale = Math.min(1, longSide / Math.max(info.width, info.height));
  return { width: Math.max(1, Math.round(info.width * scale)), height: Math.max(1, Math.round(info.height * scale)) };
}

/** The frames kept from one part's proposals (see selectFrames), JPEG-encoded. */
async function* chooseFrames(
  candidates: AsyncIterable<Candidate>,
  part: Part,
  settings: FrameSelectionSettings,
  size: { width: number; height: number },
  onFinished: () => void,
): AsyncGenerator<ChosenFrame> {
  const raw = { ...size, channels: 3 } as const;
  const minGapMs = settings.minGapSeconds * 1000;
  let kept = 0;
  let lastHash: string | undefined;
  let pending: { opensAtMs: number; latest: Candidate } | undefined;

  const keep = async (candidate: Candidate): Promise<ChosenFrame | undefined> => {
    const hash = await perceptualHash(candidate.pixels, raw);
    if (lastHash !== undefined && hammingDistance(hash, lastHash) <= settings.hashDistance) return undefined;
    const dueByNow = Math.ceil((part.budget * (candidate.timeMs - part.startMs + budgetLeadMs)) / part.lengthMs);
    if (kept >= Math.min(part.budget, dueByNow)) return undefined;
    kept++;
    lastHash = hash;
    const jpeg = await sharp(candidate.pixels, { raw }).jpeg({ quality: settings.jpegQuality, mozjpeg: false }).toBuffer();
    return { timeMs: candidate.timeMs, reason: reasonFor(candidate, part, settings), hash, jpeg, ...size };
  };

  for await (const candidate of candidates) {
    if (pending && candidate.timeMs < pending.opensAtMs + minGapMs) {
      pending.latest = candidate;
      continue;
    }
    if (pending) {
      const frame = await keep(pending.latest);
      pending = undefined;
      if (frame) yield frame;
    }
    // The video's first frame stands for its opening, whatever follows it closely.
    if (candidate.opensRange && part.startMs === 0) {
      const frame = await keep(candidate);
      if (frame) yield frame;
    } else pending = { opensAtMs: candidate.timeMs, latest: candidate };
  }
  if (pending) {
    const frame = await keep(pending.latest);
    if (frame) yield frame;
  }
  onFinished();
}

function reasonFor(candidate: Candidate, part: Part, settings: FrameSelectionSettings): SelectedFrame['reason'] {
  if (candidate.opensRange && part.startMs === 0) return 'first';
  // A later part's opening frame is there because the part starts, like a floor frame.
  return candidate.sceneScore > settings.sceneThreshold && !candidate.opensRange ? 'scene' : 'floor';
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
