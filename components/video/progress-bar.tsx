import { percentOf } from '@/components/video/job';

/** `className` places the bar and colours its track (over a thumbnail or on a panel). */
export function ProgressBar({ value, label, testId, className }: { value: number; label: string; testId: string; className: string }) {
  const percent = percentOf(value);
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      data-testid={testId}
      className={`h-1.5 overflow-hidden rounded-full ${className}`}
    >
      <div className="h-full rounded-full bg-sky-500 transition-[width] duration-300" style={{ width: `${percent}%` }} />
    </div>
  );
}
