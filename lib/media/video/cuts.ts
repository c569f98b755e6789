import type { Span } from './decode-plan';

export interface CutSettings {
  /** Mean difference (0–255 per channel) between consecutive thumbnails below which nothing is a cut. */
  cutDifference: number;
  /** How many times the typical difference around it a cut's difference must be. */
  cutContrast: number;
}

/** Frames compared on each side of one when judging it. */
const window = 4;

/**
 * Mean absolute difference of two thumbnails (see ./decode), 0–255. A thumbnail averages hundreds of
 * pixels into each of its own, so noise, confetti or a scrolling automaton that change every pixel
 * barely change it, while a new shot changes most of it.
 */
export function thumbDifference(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

export interface Judged {
  /** The first frame of a new shot: its difference stands out against those around it. */
  cut: boolean;
  /** Nothing decoded just before it to compare with (the start of a span, or a lone keyframe). */
  opensRun: boolean;
}

/**
 * Judges each frame once the frames after it are known, as PySceneDetect's AdaptiveDetector does: a
 * cut is a difference at least `cutContrast` times the median of the `window` differences on either
 * side, and at least `cutDifference`. A scene that changes fast all the time raises its own bar, so it
 * neither hides the cut out of it nor counts as cuts itself. Only frames inside one span of
 * consecutive decoding (see ./decode-plan) are compared.
 */
export async function* judgeCuts<T extends { timeMs: number; thumb: Buffer }>(
  frames: AsyncIterable<T>,
  spans: Span[],
  settings: CutSettings,
): AsyncGenerator<T & Judged> {
  let spanIndex = 0;
  // Decoded timestamps are whole milliseconds, span ends need not be.
  const spanOf = (timeMs: number) => {
    while (spanIndex < spans.length && spans[spanIndex].toMs + 1 < timeMs) spanIndex++;
    return spanIndex < spans.length && spans[spanIndex].fromMs - 1 <= timeMs ? spanIndex : -1;
  };
  // The current run of comparable frames: each with its difference to the one before (NaN for the first).
  let run: { frame: T; span: number; difference: number }[] = [];
  let judged = 0;

  const judge = (i: number): T & Judged => {
    const { frame, difference } = run[i];
    if (Number.isNaN(difference)) return { ...frame, cut: false, opensRun: true };
    const around: number[] = [];
    for (let j = Math.max(0, i - window); j <= Math.min(run.length - 1, i + window); j++) {
      if (j !== i && !Number.isNaN(run[j].difference)) around.push(run[j].difference);
    }
    around.sort((a, b) => a - b);
    const typical = around.length > 0 ? around[around.length >> 1] : 0;
    // A fraction of a level is rounding, not a typical change: the bar never falls below one level.
    const cut = difference >= settings.cutDifference && difference >= settings.cutContrast * Math.max(1, typical);
    return { ...frame, cut, opensRun: false };
  };

  for await (const frame of frames) {
    const span = spanOf(frame.timeMs);
    const last = run.at(-1);
    if (last && (span < 0 || span !== last.span)) {
      while (judged < run.length) yield judge(judged++);
      run = [];
      judged = 0;
    }
    const previous = run.at(-1);
    run.push({ frame, span, difference: previous ? thumbDifference(previous.frame.thumb, frame.thumb) : NaN });
    while (judged < run.length - window) yield judge(judged++);
    // Frames judged long ago are no longer looked at.
    if (judged > 2 * window) {
      run = run.slice(judged - window);
      judged = window;
    }
  }
  while (judged < run.length) yield judge(judged++);
}
