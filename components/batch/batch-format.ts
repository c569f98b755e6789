import type { BatchStatus, BatchSummary } from '@/lib/batch/types';
import { formatUsd } from '@/components/ui/format';

export const statusLabel: Record<BatchStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  completed: 'Completed',
  canceled: 'Canceled',
  failed: 'Failed',
};

/** Pill colours shared by batch and item statuses (the share links' palette). */
export const pillStyle = {
  neutral: 'bg-zinc-200 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300',
  active: 'bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300',
  good: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300',
  warning: 'bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300',
  bad: 'bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300',
} as const;

export const statusPill: Record<BatchStatus, keyof typeof pillStyle> = {
  queued: 'neutral',
  running: 'active',
  completed: 'good',
  canceled: 'warning',
  failed: 'bad',
};

/** Items with an outcome, succeeded or failed. */
export const finishedCount = (counts: BatchSummary['counts']) => counts.succeeded + counts.failed;

export const costText = (costUsd: number | null) => (costUsd === null ? 'cost unknown' : formatUsd(costUsd));

/** Time left, shown after a "Time left" label. */
export function etaText(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min`;
  return `about ${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export const throughputText = (perMinute: number) => `${perMinute >= 10 ? Math.round(perMinute) : perMinute.toFixed(1)} images/min`;

/** How long a finished batch ran, from its start to its end. */
export function durationText(fromIso: string, toIso: string): string {
  const seconds = Math.round((new Date(toIso).getTime() - new Date(fromIso).getTime()) / 1000);
  if (seconds < 1) return 'under 1 s';
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** A column's value as a table cell shows it; null (the image did not tell) is left to the caller. */
export function valueText(value: string | number | boolean | string[]): string {
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return value.toLocaleString('en-US', { maximumFractionDigits: 6 });
  if (Array.isArray(value)) return value.join(', ');
  return value;
}
