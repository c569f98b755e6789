import type { Packet, PacketScan } from './packets';

/**
 * What to decode, read off the packets before anything is decoded. A hard cut inside a GOP makes
 * the encoder code the new picture from scratch, so the frame after it costs more bytes than its
 * neighbours (a spike), or the scene after it costs a different amount per frame than the one
 * before (a step: out of noise into a still, say). Inside a steady scene P-frames carry no cut, so
 * only these places are decoded, each from the keyframe before it, plus the floor's keyframes.
 * A GOP whose two keyframes show the same picture is not searched; one whose keyframes differ more
 * than a scene's motion does, or whose P-frames cost nearly what keyframes do (noise, confetti,
 * water: sizes say nothing), is searched whole.
 */

export interface PlanSettings {
  /** No stretch longer than this without a frame that can be selected. */
  floorMs: number;
  /** The floor's points at most this far apart (at most the floor): closer lets floor frames come close to the floor apart. */
  floorSpacingMs?: number;
  /** Parts decoded side by side. */
  parts: number;
  /**
   * Whether the picture at one keyframe is the picture at another (see ./cuts): then the GOP between
   * holds no cut (barring a cut there and back) and is not searched. Without it every GOP with a
   * suspected cut is; `keyframesToCompare` lists the keyframes the answer needs.
   */
  unchanged?: (from: Packet, to: Packet) => boolean;
  /**
   * Whether the picture changed across a GOP more than motion in one scene does: then a GOP whose
   * packets show no cut is searched all the same (a cut between two scenes alike in cost per frame).
   */
  changedMuch?: (from: Packet, to: Packet) => boolean;
}

/** A span of video time decoded frame after frame, with no anchor frame left out. */
export interface Span {
  fromMs: number;
  toMs: number;
}

export interface PartPlan {
  /** Video time the part starts at (a keyframe) and ends before; the last part runs to the end. */
  fromMs: number;
  toMs?: number;
  /** ffmpeg expressions for ./decode: which packets to decode, which frames to propose at full size. */
  keep: string;
  /** Which decoded frames are thumbnailed, to be judged or kept; a superset of `propose`. */
  thumbnail: string;
  propose: string;
}

export interface DecodePlan {
  parts: PartPlan[];
  /** The keyframes `unchanged` and `changedMuch` are asked about. */
  keyframesToCompare: Packet[];
  /** Where the packets suggest a cut: the first anchor frame after it, video time. */
  cutsMs: number[];
  /**
   * Keyframes where a cut may be, video time: off the stream's regular interval (encoders put those
   * at cuts), or right before a suspected cut. Nothing before one is decoded, so it is compared
   * with the last frame selected instead.
   */
  keyCutsMs: number[];
  /** Spans decoded frame after frame (sorted, disjoint), video time: consecutive frames inside one can be compared. */
  spans: Span[];
  /** Frames always proposed, spaced at most the floor apart from the start to the end, video time. */
  floorMs: number[];
  /** Spans where the packets say nothing: every anchor decoded, a frame proposed at least every `denseProposalMs`. */
  dense: Span[];
}

// Tuned on bench/video-frames.ts's two videos: at 1.8 / 2 five of 110 cuts gave no packet evidence,
// at 1.5 / 1.6 none did; lower finds nothing more and decodes more.
const spikeRatio = 1.5;
const stepRatio = 1.6;
/** Neighbours on each side a frame's size is compared with. */
const neighbours = 5;
/** Decoded after a suspected cut: enough frames to see the new scene settle. */
const afterCutMs = 600;
/** Proposed at full size around a suspected cut: the anchor frames the cut can be on. */
const proposeBeforeCutMs = 1;
const proposeAfterCutMs = 1;
/** Judged before a suspected cut: enough frames to know the scene it ends. */
const judgedBeforeCutMs = 1000;
/** A suspected cut this soon after a keyframe may be the keyframe's own. */
const keyCutWithinMs = 300;
/** Where a P-frame costs at least this share of its GOP's keyframe, a cut cannot stand out by size. */
const denseShare = 0.7;
const denseProposalMs = 900;

/** The plan for a whole video of `durationMs` (video time). */
export function planDecoding(scan: PacketScan, durationMs: number, settings: PlanSettings): DecodePlan {
  const toVideo = (ms: number) => ms - scan.startMs;
  const endMs = scan.startMs + durationMs;
  const anchors = scan.packets.filter((p) => p.anchor);
  let { keyframes, intraOnly } = keyframesOf(anchors);
  // Any frame of an all-keyframe codec decodes on its own: at most five a second are decoded, every
  // one of them compared with the one before.
  if (intraOnly) keyframes = keyframes.filter(thinnedTo(200));

  const gops = keyframes.map((key, i) => {
    const next = keyframes[i + 1];
    const frames = intraOnly ? [key] : anchors.filter((a) => a.timeMs >= key.timeMs && (!next || a.timeMs < next.timeMs));
    return { key, frames, endMs: next ? next.timeMs : endMs };
  });
  const dense = intraOnly ? gops : gops.filter((gop) => isDense(gop.key, gop.frames.slice(1)));
  const cuts = intraOnly ? [] : suspectedCuts(anchors.filter((a) => !a.key), keyframes);
  // A keyframe right before a suspected cut is where the cut is, when it falls on the keyframe itself.
  const keyCuts = intraOnly
    ? []
    : [...new Set([...irregularKeyframes(keyframes), ...keyframes.filter((k) => cuts.some((c) => c > k.timeMs && c - k.timeMs <= keyCutWithinMs))])];
  // Each point on a decoded frame: the anchor at or before it.
  const floor = [
    ...new Set(
      floorGrid(keyframes.map((k) => toVideo(k.timeMs)), durationMs, settings.floorMs, settings.floorSpacingMs).map(
        (point) => toVideo(anchors.findLast((a) => a.timeMs <= point + scan.startMs + 0.5)?.timeMs ?? point + scan.startMs),
      ),
    ),
  ];

  // How far into each GOP decoding must go: past the suspected cuts and floor points in it, or to its end.
  const needUntil = new Map<Packet, number>();
  const need = (timeMs: number, untilMs: number) => {
    const gop = gopAt(timeMs);
    needUntil.set(gop.key, Math.max(needUntil.get(gop.key) ?? gop.key.timeMs, untilMs));
  };
  // A GOP is searched for cuts only if the picture has changed across it.
  const gopAt = (timeMs: number) => gops.findLast((g) => g.key.timeMs <= timeMs) ?? gops[0];
  const suspected = new Set([...dense, ...cuts.map(gopAt)]);
  const keyframesToCompare = keyframesToCompareIn(scan);
  for (const [i, gop] of gops.entries()) {
    const next = gops[i + 1];
    if (!intraOnly && !suspected.has(gop) && next && settings.changedMuch?.(gop.key, next.key)) dense.push(gop);
  }
  const changed = (gop: (typeof gops)[number]) => {
    const next = gops[gops.indexOf(gop) + 1];
    return !next || !settings.unchanged?.(gop.key, next.key);
  };
  // Only frames near a suspected cut are judged (and so thumbnailed): the rest of a GOP is decoded only to reach them.
  const judged: Span[] = [];
  for (const gop of dense) {
    if (!changed(gop)) continue;
    need(gop.key.timeMs, gop.endMs);
    judged.push({ fromMs: gop.key.timeMs, toMs: gop.endMs });
  }
  for (const cut of cuts) {
    const gop = gopAt(cut);
    if (!changed(gop)) continue;
    need(cut, cut + afterCutMs);
    judged.push({ fromMs: Math.max(gop.key.timeMs, cut - judgedBeforeCutMs), toMs: cut + afterCutMs });
  }
  for (const point of floor) need(point + scan.startMs, point + scan.startMs);
  for (const key of keyCuts) need(key.timeMs, key.timeMs);

  const spans: Span[] = [];
  const keep: ([number, number] | undefined)[] = [];
  for (const gop of gops) {
    const until = needUntil.get(gop.key);
    // A keyframe nothing needs is not decoded at all: with keyframes every second or two, most are not.
    if (until === undefined) {
      keep.push(undefined);
      spans.push({ fromMs: toVideo(gop.key.timeMs), toMs: toVideo(gop.key.timeMs) });
      continue;
    }
    const decoded = gop.frames.filter((a) => a.timeMs <= until);
    // In decode order the last of them has the highest offset; the B-frames between are dropped by the decoder.
    keep.push([gop.key.pos, Math.max(...decoded.map((a) => a.pos))]);
    // A GOP decoded to its end runs on into the next one without a break.
    const whole = decoded.length === gop.frames.length && until >= gop.endMs;
    spans.push({ fromMs: toVideo(gop.key.timeMs), toMs: toVideo(whole ? gop.endMs : decoded.at(-1)!.timeMs) });
  }
  const exactly = (ms: number) => ({ fromMs: ms - 1, toMs: ms + 1 });
  const proposals: Span[] = [
    ...cuts.map((cut) => ({ fromMs: cut - proposeBeforeCutMs, toMs: cut + proposeAfterCutMs })),
    ...floor.map((point) => exactly(point + scan.startMs)),
    ...keyCuts.map((key) => exactly(key.timeMs)),
  ];
  const denseSpans = dense.map((gop) => ({ fromMs: gop.key.timeMs, toMs: gop.endMs }));
  const points = [...floor.map((point) => exactly(point + scan.startMs)), ...keyCuts.map((key) => exactly(key.timeMs))];
  const thumbnailed = scan.positioned ? [...judged, ...points] : [{ fromMs: scan.startMs, toMs: endMs }];
  const parts = splitParts(gops, spans, scan.positioned ? keep : undefined, proposals, denseSpans, thumbnailed, scan, settings.parts);
  return {
    parts,
    keyframesToCompare,
    cutsMs: cuts.map(toVideo),
    keyCutsMs: keyCuts.map((key) => toVideo(key.timeMs)),
    // Without byte offsets packets cannot be named: everything is decoded, every frame comparable with the one before.
    spans: scan.positioned ? merge(judged).map((s) => ({ fromMs: toVideo(s.fromMs), toMs: toVideo(s.toMs) })) : [{ fromMs: 0, toMs: durationMs }],
    floorMs: floor,
    dense: merge(denseSpans).map((s) => ({ fromMs: toVideo(s.fromMs), toMs: toVideo(s.toMs) })),
  };
}

/** The keyframes (the first frame if none is marked), and whether every other frame is one: MJPEG, ProRes. */
function keyframesOf(anchors: Packet[]) {
  const keyframes = anchors.filter((p) => p.key);
  return { keyframes: keyframes.length > 0 ? keyframes : anchors.slice(0, 1), intraOnly: keyframes.length > anchors.length / 2 };
}

/**
 * The keyframes whose pictures `unchanged` and `changedMuch` compare: all of them, known before the
 * plan is made (an all-keyframe codec has no GOPs to judge).
 */
export function keyframesToCompareIn(scan: PacketScan): Packet[] {
  const { keyframes, intraOnly } = keyframesOf(scan.packets.filter((p) => p.anchor));
  return intraOnly ? [] : keyframes;
}

/** Keeps frames at least `ms` after the last one kept. */
function thinnedTo(ms: number) {
  let last = -Infinity;
  return (packet: Packet) => {
    if (packet.timeMs - last < ms) return false;
    last = packet.timeMs;
    return true;
  };
}

/**
 * Keyframes closer to the one before than the stream's longest regular interval: an encoder
 * with scene-cut detection (x264's default) starts a GOP at each cut, and otherwise every keyint frames.
 */
function irregularKeyframes(keyframes: Packet[]): Packet[] {
  const intervals = keyframes.slice(1).map((key, i) => key.timeMs - keyframes[i].timeMs);
  if (intervals.length < 2) return [];
  const regular = [...intervals].sort((a, b) => a - b)[Math.floor(intervals.length * 0.9)];
  return keyframes.slice(1).filter((_, i) => intervals[i] < 0.9 * regular);
}

/** A GOP whose P-frames cost nearly what its keyframe does. */
function isDense(key: Packet, frames: Packet[]): boolean {
  if (frames.length === 0) return false;
  return median(frames.map((f) => f.size)) >= denseShare * key.size;
}

/**
 * The anchor frames (keyframes left out: they are always large) whose size spikes above both sides,
 * or where the typical size steps up or down; times on the container clock.
 */
export function suspectedCuts(frames: Packet[], keyframes: Packet[]): number[] {
  // Differences of a few dozen bytes (a still picture's P-frames) are not evidence.
  const minBytes = Math.max(64, 0.02 * median(keyframes.map((k) => k.size)));
  const size = (i: number) => Math.max(minBytes, frames[i].size);
  const sideMedian = (from: number, to: number) => {
    const sizes: number[] = [];
    for (let i = Math.max(0, from); i < Math.min(frames.length, to); i++) sizes.push(size(i));
    return sizes.length > 0 ? median(sizes) : undefined;
  };
  const steps = frames.map((_, i) => {
    const before = sideMedian(i - neighbours, i);
    const after = sideMedian(i, i + neighbours);
    return before === undefined || after === undefined ? 0 : Math.abs(Math.log(after / before));
  });
  const cuts: number[] = [];
  for (let i = 0; i < frames.length; i++) {
    const before = sideMedian(i - neighbours, i) ?? 0;
    const after = sideMedian(i + 1, i + 1 + neighbours) ?? 0;
    const spike = size(i) >= spikeRatio * Math.max(before, after, minBytes);
    // A step shows over several frames; it is where the frame before still costs what the ones before it
    // do and this one what the ones after it do (a spike next to it must not hide it).
    const [stepBefore, stepAfter] = [sideMedian(i - neighbours, i), sideMedian(i, i + neighbours)];
    const closer = (j: number, a: number, b: number) => Math.abs(Math.log(size(j) / a)) <= Math.abs(Math.log(size(j) / b));
    const step =
      steps[i] >= Math.log(stepRatio) && i > 0 && stepBefore !== undefined && stepAfter !== undefined &&
      closer(i - 1, stepBefore, stepAfter) && closer(i, stepAfter, stepBefore);
    if (spike || step) cuts.push(frames[i].timeMs);
  }
  return cuts;
}

/**
 * Times (video time) of frames that will be proposed whatever happens, so that any stretch of
 * `floorMs` holds one: keyframes at least a third of the floor apart (cheap: nothing else to decode),
 * and where keyframes are further apart than the floor, points in between.
 */
export function floorGrid(keyframesMs: number[], durationMs: number, floorMs: number, spacingMs = floorMs): number[] {
  const grid: number[] = [];
  for (const key of keyframesMs) {
    if (grid.length === 0 || key - grid.at(-1)! >= Math.min(spacingMs, floorMs / 3)) grid.push(key);
  }
  const filled: number[] = [];
  const ends = [...grid, durationMs];
  // Points land on the frame at or before them, up to a frame early: a little closer than asked.
  const step = spacingMs * 0.9;
  for (let i = 0; i < grid.length; i++) {
    filled.push(grid[i]);
    const gap = ends[i + 1] - grid[i];
    const extra = Math.ceil(gap / step) - 1;
    for (let k = 1; k <= extra; k++) filled.push(grid[i] + (gap * k) / (extra + 1));
  }
  return filled;
}

/**
 * Consecutive parts with about the same decoding work each, split at keyframes: the bytes of the
 * anchor frames each has to decode.
 */
function splitParts(
  gops: { key: Packet; frames: Packet[] }[],
  spans: Span[],
  keep: ([number, number] | undefined)[] | undefined,
  proposals: Span[],
  dense: Span[],
  thumbnailed: Span[],
  scan: PacketScan,
  count: number,
): PartPlan[] {
  const work = gops.map((gop, i) =>
    keep && !keep[i] ? 0 : gop.frames.filter((f) => f.timeMs - scan.startMs <= spans[i].toMs).reduce((sum, f) => sum + f.size + 2000, 0),
  );
  const total = work.reduce((sum, w) => sum + w, 0);
  const starts = [0];
  let done = 0;
  for (let i = 0; i < gops.length && starts.length < count; i++) {
    if (done >= (total * starts.length) / count && i > starts.at(-1)!) starts.push(i);
    done += work[i];
  }
  return starts.map((first, p) => {
    const end = starts[p + 1] ?? gops.length;
    const from = gops[first].key.timeMs;
    const to = end < gops.length ? gops[end].key.timeMs : undefined;
    const inPart = (s: Span) => s.toMs >= from && (to === undefined || s.fromMs < to);
    return {
      fromMs: from - scan.startMs,
      toMs: to === undefined ? undefined : to - scan.startMs,
      keep: keep ? rangeExpression('pos', merge(keep.slice(first, end).flatMap((k) => (k ? [{ fromMs: k[0], toMs: k[1] }] : [])))) : '1',
      propose: proposeExpression(proposals.filter(inPart), dense.filter(inPart)),
      thumbnail: `isnan(prev_selected_t)+${rangeExpression('t', inSeconds(thumbnailed.filter(inPart)))}`,
    };
  });
}

/** The select expression: the first frame, frames in `ranges` (container ms), and in `dense` spans one every denseProposalMs. */
function proposeExpression(ranges: Span[], dense: Span[]): string {
  const denseTerm = dense.length === 0 ? '0' : `${rangeExpression('t', inSeconds(dense))}*gte(t-prev_selected_t,${denseProposalMs / 1000})`;
  return `isnan(prev_selected_t)+${rangeExpression('t', inSeconds(ranges))}+${denseTerm}`;
}

/** Container-ms spans, merged, in seconds: ffmpeg's `t`. */
const inSeconds = (spans: Span[]) => merge(spans).map((s) => ({ fromMs: s.fromMs / 1000, toMs: s.toMs / 1000 }));

/** Sorted, overlapping or touching spans joined. */
function merge(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.fromMs - b.fromMs);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged.at(-1);
    if (last && span.fromMs <= last.toMs) last.toMs = Math.max(last.toMs, span.toMs);
    else merged.push({ ...span });
  }
  return merged;
}

/**
 * Whether `variable` lies in one of the sorted disjoint ranges, as a balanced tree of if()s: ffmpeg
 * evaluates it for every packet or frame, a few comparisons each however many ranges there are.
 */
export function rangeExpression(variable: string, ranges: Span[]): string {
  return rangeTree(variable, fewest(merge(ranges), maxRanges));
}

// An argument to a process may be at most 128 KiB (Linux's MAX_ARG_STRLEN); a range costs about 50 characters.
const maxRanges = 1200;

/** At most `max` ranges, the ones closest together joined: a few more frames decoded or proposed, never fewer. */
function fewest(ranges: Span[], max: number): Span[] {
  if (ranges.length <= max) return ranges;
  const gaps = ranges.slice(1).map((range, i) => ({ i, gap: range.fromMs - ranges[i].toMs }));
  const joined = new Set(gaps.sort((a, b) => a.gap - b.gap).slice(0, ranges.length - max).map((g) => g.i));
  const result: Span[] = [{ ...ranges[0] }];
  for (let i = 1; i < ranges.length; i++) {
    if (joined.has(i - 1)) result.at(-1)!.toMs = ranges[i].toMs;
    else result.push({ ...ranges[i] });
  }
  return result;
}

/** Numbers as short as ffmpeg can read them exactly enough: microseconds at most. */
const short = (value: number) => String(Math.round(value * 1e6) / 1e6);

function rangeTree(variable: string, ranges: Span[]): string {
  if (ranges.length === 0) return '0';
  if (ranges.length === 1) return `between(${variable},${short(ranges[0].fromMs)},${short(ranges[0].toMs)})`;
  const middle = ranges.length >> 1;
  return `if(lt(${variable},${short(ranges[middle].fromMs)}),${rangeTree(variable, ranges.slice(0, middle))},${rangeTree(variable, ranges.slice(middle))})`;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}
