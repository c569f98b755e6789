/** A horizontal bar chart in plain HTML: enough to compare a handful of values at a glance. */
export function BarChart({ rows, format, testId }: { rows: { label: string; value: number }[]; format: (value: number) => string; testId?: string }) {
  const max = Math.max(...rows.map((r) => r.value), 0);
  if (rows.length === 0) return <p className="text-sm text-zinc-500">No data yet.</p>;
  return (
    <ul className="space-y-1.5" data-testid={testId}>
      {rows.map((row) => (
        <li key={row.label} className="grid grid-cols-[9rem_1fr_6rem] items-center gap-3 text-sm">
          <span className="truncate text-zinc-600 dark:text-zinc-400" title={row.label}>
            {row.label}
          </span>
          <span className="h-3 rounded bg-zinc-100 dark:bg-zinc-800">
            <span className="block h-3 rounded bg-sky-500" style={{ width: `${max ? (row.value / max) * 100 : 0}%` }} />
          </span>
          <span className="text-right tabular-nums">{format(row.value)}</span>
        </li>
      ))}
    </ul>
  );
}
