/** "0.4 s", "0.999 s", "42 s", "12 min 5 s", "3 h", "3 h 12 min": short ones precisely enough to differ from a 1 s or 0.5 s minimum. */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${Number((ms / 1000).toPrecision(3))} s`;
  const totalSeconds = Math.round(ms / 1000);
  const parts = [
    [Math.floor(totalSeconds / 3600), 'h'],
    [Math.floor(totalSeconds / 60) % 60, 'min'],
    [totalSeconds % 60, 's'],
  ] as const;
  return parts
    .filter(([value]) => value > 0)
    .map(([value, unit]) => `${value} ${unit}`)
    .join(' ');
}
