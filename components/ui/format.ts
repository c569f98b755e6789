export function relativeTime(iso: string, now = Date.now()): string {
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (seconds < 60) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days < 7) return `${days} d ago`;
  return new Date(iso).toLocaleDateString();
}

export function formatUsd(value: number): string {
  if (value === 0) return '$0';
  // Small answers cost fractions of a cent: two significant digits keep them readable and distinct.
  if (value >= 0.01) return `$${value.toFixed(3)}`;
  return `$${value.toFixed(1 - Math.floor(Math.log10(value)))}`;
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export const formatCount = (n: number) => n.toLocaleString('en-US');
