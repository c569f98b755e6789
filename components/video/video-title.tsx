import { formatClock } from '@/components/video/timestamps';

/** A video's name and length, above its summary and timeline. */
export function VideoTitle({ name, durationMs }: { name: string; durationMs: number | null }) {
  return (
    <span className="flex items-baseline justify-between gap-3">
      <span className="truncate font-medium" title={name}>
        {name}
      </span>
      {durationMs !== null && durationMs > 0 && <span className="shrink-0 tabular-nums text-zinc-500 dark:text-zinc-400">{formatClock(durationMs)}</span>}
    </span>
  );
}
