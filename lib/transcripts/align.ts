import type { TimedText } from '@/lib/media/subtitles';

/**
 * What is said during each scene of a video: every segment goes to the scene in which it starts
 * (a sentence running past a cut belongs where it began), joined in order.
 */
export function speechPerScene(scenes: { startMs: number; endMs: number }[], segments: TimedText[]): string[] {
  const speech: string[][] = scenes.map(() => []);
  let scene = 0;
  for (const segment of [...segments].sort((a, b) => a.startMs - b.startMs)) {
    while (scene < scenes.length - 1 && segment.startMs >= scenes[scene + 1].startMs) scene++;
    if (scenes.length > 0 && segment.text.trim()) speech[scene].push(segment.text.trim());
  }
  return speech.map((lines) => lines.join(' '));
}
