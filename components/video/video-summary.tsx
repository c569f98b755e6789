/** A processed video's summary, above its timeline (the owner's and a shared page's alike). */
export function VideoSummary({ summary }: { summary: string | null }) {
  if (!summary) return null;
  return (
    <details open data-testid="video-summary" className="rounded-lg bg-zinc-50 px-3 py-2 dark:bg-zinc-800/60">
      <summary className="cursor-pointer text-sm font-medium select-none">Summary</summary>
      <p className="mt-1.5 text-sm leading-relaxed whitespace-pre-wrap text-zinc-700 dark:text-zinc-300">{summary}</p>
    </details>
  );
}
