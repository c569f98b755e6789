/** `0:12`, or `1:02:03` from an hour on: how the timeline shows times. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

export const formatClockRange = (startMs: number, endMs: number) => `${formatClock(startMs)}–${formatClock(endMs)}`;

/** Seconds in `m:ss`, `mm:ss` or `h:mm:ss`, or null: seconds (and, after hours, minutes) must be under 60. */
export function parseTimestamp(text: string): number | null {
  const match = /^(?:(\d{1,2}):(?=\d{2}:))?(\d{1,3}):(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const [, hours, minutes, seconds] = match;
  if (Number(seconds) >= 60 || (hours !== undefined && Number(minutes) >= 60)) return null;
  return Number(hours ?? 0) * 3600 + Number(minutes) * 60 + Number(seconds);
}

/** Where a scene list is at `ms`: the last scene begun by then (scenes may leave gaps), -1 before the first. */
export function sceneAt(scenes: readonly { startMs: number }[], ms: number): number {
  let found = -1;
  scenes.forEach((scene, index) => {
    if (scene.startMs <= ms) found = index;
  });
  return found;
}

/**
 * The scene a cited time points at. Citations are whole seconds, as the model was given the timeline:
 * `[00:01]` for a scene starting at 1.32 s means that scene (the first the timeline shows as starting
 * at 0:01), not the one still running at 1.00 s. Any other time shows the scene it falls in.
 */
export function citedScene(scenes: readonly { startMs: number }[], seconds: number): number {
  const starting = scenes.findIndex((scene) => Math.floor(scene.startMs / 1000) === seconds);
  return starting !== -1 ? starting : Math.max(0, sceneAt(scenes, seconds * 1000));
}

const time = String.raw`\d{1,2}:\d{2}:\d{2}|\d{1,3}:\d{2}`;
/** `[01:05]` or a range `[01:05–01:20]`, not escaped (`\[`) and not an image's alt text (`![`). */
const citation = String.raw`(?<![\\!])\[\s*((${time})(?:\s*[-–—]\s*(?:${time}))?)\s*\]`;
/** Inline links and autolinks the text already has: a citation inside one stays as it is. */
const existingLink = String.raw`!?\[(?:[^[\]]|\[[^[\]]*\])*\]\([^)]*\)|<[a-z][a-z0-9+.-]*:[^\s<>]*>`;
const inlinePattern = new RegExp(`(${existingLink})|${citation}`, 'gi');

function linkPlain(text: string): string {
  return text.replace(inlinePattern, (whole, link: string | undefined, shown: string, start: string) => {
    if (link) return whole;
    const seconds = parseTimestamp(start);
    return seconds === null ? whole : `[${shown}](#t=${seconds})`;
  });
}

/** Links citations outside code spans; a span may cross lines, so this takes a whole paragraph. */
function linkInline(text: string): string {
  let out = '';
  let at = 0;
  while (at < text.length) {
    const tick = text.indexOf('`', at);
    if (tick === -1) return out + linkPlain(text.slice(at));
    out += linkPlain(text.slice(at, tick));
    const run = /^`+/.exec(text.slice(tick))![0];
    const end = closingRun(text, tick + run.length, run.length);
    // An unmatched run is literal backticks, and what follows is ordinary text.
    const next = end === -1 ? tick + run.length : end + run.length;
    out += text.slice(tick, next);
    at = next;
  }
  return out;
}

function closingRun(text: string, from: number, length: number): number {
  const runs = /`+/g;
  runs.lastIndex = from;
  for (let match = runs.exec(text); match; match = runs.exec(text)) if (match[0].length === length) return match.index;
  return -1;
}

const fenceOpen = /^[ \t]*(`{3,}|~{3,})/;
const listItem = /^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;
const indentedLine = /^(?: {4}|\t)/;

/**
 * Turns the model's time citations (`[01:05]`, `[1:02:03]`, `[01:05–01:20]`) into links `#t=<start seconds>`
 * that the chat renders as seek buttons. Code (fenced, indented or inline) and existing links are left alone,
 * since a time there is an example or part of an address, not a citation.
 */
export function linkTimestamps(markdown: string): string {
  const out: string[] = [];
  let paragraph: string[] = [];
  let fence: { char: string; length: number } | null = null;
  let previousBlank = true;
  let inList = false;
  let inIndentedCode = false;
  const flush = () => {
    if (paragraph.length > 0) out.push(linkInline(paragraph.join('\n')));
    paragraph = [];
  };

  for (const line of markdown.split('\n')) {
    if (fence) {
      out.push(line);
      const close = new RegExp(`^[ \\t]*${fence.char === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`);
      if (close.test(line)) fence = null;
      continue;
    }
    const open = fenceOpen.exec(line);
    if (open) {
      flush();
      out.push(line);
      fence = { char: open[1][0], length: open[1].length };
      continue;
    }
    const blank = line.trim() === '';
    if (blank) {
      flush();
      out.push(line);
      previousBlank = true;
      continue;
    }
    // Indented code starts after a blank line; inside a list, indentation is only the item's continuation.
    if (indentedLine.test(line) && (inIndentedCode || (previousBlank && !inList))) {
      flush();
      out.push(line);
      inIndentedCode = true;
      previousBlank = false;
      continue;
    }
    if (listItem.test(line)) inList = true;
    else if (previousBlank && /^\S/.test(line)) inList = false;
    inIndentedCode = false;
    previousBlank = false;
    paragraph.push(line);
  }
  flush();
  return out.join('\n');
}
