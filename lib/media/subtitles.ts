/** A stretch of a recording and what was said in it. */
export interface TimedText {
  startMs: number;
  endMs: number;
  text: string;
}

/** SubRip: numbered cues, `00:01:02,345 --> 00:01:04,000`, a blank line after each. */
export function toSrt(segments: TimedText[]): string {
  return cues(segments)
    .map(({ startMs, endMs, lines }, i) => `${i + 1}\n${timestamp(startMs, ',')} --> ${timestamp(endMs, ',')}\n${lines.join('\n')}\n`)
    .join('\n');
}

/** WebVTT: the header, then cues timed `00:01:02.345 --> 00:01:04.000`, their text escaped as the format requires. */
export function toVtt(segments: TimedText[]): string {
  const body = cues(segments).map(({ startMs, endMs, lines }) => `${timestamp(startMs, '.')} --> ${timestamp(endMs, '.')}\n${lines.map(escapeVtt).join('\n')}\n`);
  return ['WEBVTT\n', ...body].join('\n');
}

/** The plain transcript: one line per segment. */
export function toTxt(segments: TimedText[]): string {
  return cues(segments)
    .map(({ lines }) => `${lines.join(' ')}\n`)
    .join('');
}

/**
 * A blank line ends a cue in both formats, so text lines are trimmed and empty ones dropped; a
 * segment with no text left makes no cue. A cue may not end before it starts.
 */
function cues(segments: TimedText[]) {
  return segments
    .map(({ startMs, endMs, text }) => {
      const start = Math.max(0, Math.round(startMs));
      return {
        startMs: start,
        endMs: Math.max(start, Math.round(endMs)),
        lines: text
          .split(/\r\n|\r|\n/)
          .map((line) => line.trim())
          .filter((line) => line !== ''),
      };
    })
    .filter(({ lines }) => lines.length > 0);
}

/** `&` and `<` start markup in WebVTT, and `-->` may not appear in cue text: escaping `>` takes care of it. */
function escapeVtt(line: string): string {
  return line.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function timestamp(ms: number, decimalSeparator: ',' | '.'): string {
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor(ms / 60_000) % 60;
  const secs = Math.floor(ms / 1000) % 60;
  return `${pad(hours)}:${pad(minutes)}:${pad(secs)}${decimalSeparator}${pad(ms % 1000, 3)}`;
}
