'use client';

import type { ComparedImage, ComparisonData, PartialComparison } from '@/lib/chat/comparison-schema';

const name = (images: ComparedImage[], index: number) => images[index]?.filename ?? `Image ${index + 1}`;

/**
 * A comparison as it arrives: the images as columns, the differences as rows (the aspect column
 * stays put while the rest scrolls sideways on a phone), what they share, and the pick when one
 * was asked for. While it streams, cells not written yet shimmer; `retrying` starts it over.
 */
export function ComparisonTable({ data, images }: { data: Exclude<ComparisonData, { state: 'error' }>; images: ComparedImage[] }) {
  if (data.state === 'retrying') {
    return (
      <section data-testid="comparison" data-state="retrying" aria-busy>
        <p role="status" className="flex items-center gap-2 text-sm text-zinc-500 dark:text-zinc-400">
          <Pulse /> The model&apos;s answer did not fit the table, so it is being asked again (attempt {data.attempt})…
        </p>
      </section>
    );
  }
  const streaming = data.state === 'streaming';
  const { similarities, differences, recommendation }: PartialComparison = data;
  // While streaming, a value array may be shorter than the images: the rest of the row is still coming.
  const columns = Math.max(images.length, ...differences.map((d) => d.values.length));
  const picked = recommendation?.choice != null && recommendation.choice >= 1 && recommendation.choice <= columns ? recommendation.choice - 1 : null;

  return (
    <section data-testid="comparison" data-state={data.state} aria-busy={streaming} aria-label={`Comparison of ${columns} images`} className="flex flex-col gap-4">
      {streaming && (
        <p role="status" data-testid="comparison-streaming" className="flex items-center gap-2 text-sm text-zinc-500 dark:text-zinc-400">
          <Pulse /> Comparing {columns} images…
        </p>
      )}

      <div>
        <h3 className="mb-1.5 text-sm font-semibold text-zinc-700 dark:text-zinc-300">In common</h3>
        {similarities.length > 0 ? (
          <ul data-testid="comparison-similarities" className="list-disc space-y-1 pl-5 text-sm leading-relaxed marker:text-zinc-400">
            {similarities.map((item, i) => (
              <li key={i}>{item}</li>
            ))}
          </ul>
        ) : streaming ? (
          <Shimmer className="w-2/3" />
        ) : (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">Nothing the images all share.</p>
        )}
      </div>

      <div>
        <h3 className="mb-1.5 text-sm font-semibold text-zinc-700 dark:text-zinc-300">Differences</h3>
        <div className="overflow-x-auto rounded-xl border border-zinc-200 dark:border-zinc-800" tabIndex={0} aria-label="Differences table (scrolls sideways)">
          <table data-testid="comparison-table" className="w-full border-collapse text-left text-sm">
            <thead>
              <tr className="border-b border-zinc-200 dark:border-zinc-800">
                <th scope="col" className={`${stickyCell} min-w-28 align-bottom text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400`}>
                  Aspect
                </th>
                {Array.from({ length: columns }, (_, i) => (
                  <th key={i} scope="col" data-testid="comparison-image-column" title={name(images, i)} className="min-w-36 px-3 py-2 align-bottom font-medium">
                    <span className="flex flex-col gap-1.5">
                      {images[i] && (
                        // eslint-disable-next-line @next/next/no-img-element -- served by the page's own authorizing route
                        <img
                          src={images[i].url}
                          alt={name(images, i)}
                          className={`h-16 w-24 rounded-lg border object-cover ${picked === i ? 'border-emerald-500 ring-2 ring-emerald-500/40' : 'border-zinc-200 dark:border-zinc-700'}`}
                        />
                      )}
                      <span className="flex items-center gap-1.5">
                        Image {i + 1}
                        {picked === i && <span className="rounded-full bg-emerald-100 px-1.5 text-[0.7rem] font-semibold text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300">pick</span>}
                      </span>
                    </span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {differences.map((row, r) => (
                <tr key={r} data-testid="comparison-row" className="border-b border-zinc-100 last:border-b-0 dark:border-zinc-800/70">
                  <th scope="row" className={`${stickyCell} align-top font-medium`}>
                    {row.aspect}
                  </th>
                  {Array.from({ length: columns }, (_, i) => (
                    <td key={i} className="px-3 py-2 align-top leading-snug text-zinc-700 dark:text-zinc-300">
                      {row.values[i] ?? (streaming ? <Shimmer className="w-16" /> : <span className="text-zinc-400">—</span>)}
                    </td>
                  ))}
                </tr>
              ))}
              {streaming && (
                <tr aria-hidden>
                  <th className={stickyCell}>
                    <Shimmer className="w-20" />
                  </th>
                  {Array.from({ length: columns }, (_, i) => (
                    <td key={i} className="px-3 py-2.5">
                      <Shimmer className="w-16" />
                    </td>
                  ))}
                </tr>
              )}
              {!streaming && differences.length === 0 && (
                <tr>
                  <td colSpan={columns + 1} className="px-3 py-3 text-zinc-500 dark:text-zinc-400">
                    No differences worth a row.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </div>

      {recommendation && (
        <div data-testid="comparison-recommendation" className="flex gap-3 rounded-xl border border-emerald-300 bg-emerald-50 p-3 text-sm dark:border-emerald-900 dark:bg-emerald-950/40">
          {picked !== null && images[picked] && (
            // eslint-disable-next-line @next/next/no-img-element -- as above
            <img src={images[picked].url} alt="" className="h-12 w-16 shrink-0 rounded-md object-cover" />
          )}
          <div>
            <p className="font-semibold text-emerald-900 dark:text-emerald-200">
              {picked !== null ? (
                <>
                  Recommended: Image {picked + 1}
                  {images[picked]?.filename && <span className="font-normal text-emerald-800/80 dark:text-emerald-300/80"> · {images[picked].filename}</span>}
                </>
              ) : (
                'No clear pick'
              )}
            </p>
            <p className="mt-0.5 text-emerald-900/90 dark:text-emerald-100/90">{recommendation.reason}</p>
          </div>
        </div>
      )}
    </section>
  );
}

/** The aspect column stays in view while the images scroll past it: opaque, with an edge they pass under. */
const stickyCell =
  'sticky left-0 z-10 bg-white px-3 py-2 leading-snug shadow-[inset_-1px_0_0_var(--color-zinc-200)] dark:bg-zinc-950 dark:shadow-[inset_-1px_0_0_var(--color-zinc-800)]';

function Shimmer({ className }: { className: string }) {
  return <span aria-hidden className={`inline-block h-3 animate-pulse rounded bg-zinc-200 align-middle dark:bg-zinc-800 ${className}`} />;
}

function Pulse() {
  return <span aria-hidden className="inline-block size-2 animate-pulse rounded-full bg-sky-500" />;
}
