/**
 * Which line of a transcript is being said at `ms`: the last one begun by then (a pause keeps the
 * line before it), -1 before the first. Lines are in time order; a binary search, since a playing
 * recording asks several times a second and transcripts run to thousands of lines.
 */
export function lineAt(lines: readonly { startMs: number }[], ms: number): number {
  let low = 0;
  let high = lines.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (lines[middle].startMs <= ms) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

/**
 * Where a cited whole second plays from. Answers cite the times they were given, rounded down to
 * the second: `[00:01]` for a line (or scene) that starts at 1.32 s means that one, so it plays from
 * 1.32 s rather than from the end of the one before. A second nothing starts in plays as it is.
 */
export function citedStart(items: readonly { startMs: number }[], seconds: number): number {
  // The first one starting at or after the cited second.
  const item = items[lineAt(items, seconds * 1000 - 1) + 1];
  return item && Math.floor(item.startMs / 1000) === seconds ? item.startMs / 1000 : seconds;
}

/**
 * How far ahead a playing position is taken to be when finding its line: a seek to a line's start
 * can land a hair before it (times are floats, videos snap to frames), which must not mark the line before.
 */
export const SEEK_SLACK_MS = 40;
