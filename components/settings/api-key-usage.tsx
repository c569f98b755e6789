'use client';

import { useId, useState } from 'react';
import { formatCount, formatUsd } from '@/components/ui/format';
import type { RouteUsage } from '@/lib/db/api-keys';

const cell = 'px-2 py-1.5 text-right tabular-nums';

/** A key's last 30 days per endpoint, folded away until asked for: most keys call one or two. */
export function ApiKeyUsage({ routes }: { routes: RouteUsage[] }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  if (routes.length === 0) return null;
  return (
    <div className="mt-1">
      <button
        type="button"
        data-testid="api-key-usage-toggle"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen(!open)}
        className="inline-flex items-center gap-1 rounded text-xs font-medium text-sky-700 hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:text-sky-400"
      >
        <svg aria-hidden viewBox="0 0 16 16" className={`size-3 transition-transform ${open ? 'rotate-90' : ''}`} fill="none" stroke="currentColor" strokeWidth="2">
          <path d="M6 4l4 4-4 4" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        Usage by endpoint
      </button>
      {open && (
        <div id={id} className="mt-2 overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
          <table data-testid="api-key-usage" className="w-full min-w-[28rem] text-xs">
            <caption className="sr-only">Requests, errors, tokens and cost per endpoint over the last 30 days, jobs’ later spending included</caption>
            <thead className="bg-zinc-50 text-zinc-500 dark:bg-zinc-900 dark:text-zinc-400">
              <tr>
                <th scope="col" className="px-2 py-1.5 text-left font-medium">
                  Endpoint
                </th>
                {['Requests', 'Errors', 'Tokens', 'Cost'].map((heading) => (
                  <th key={heading} scope="col" className={`${cell} font-medium`}>
                    {heading}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {routes.map((r) => (
                <tr key={r.route} data-testid="api-key-usage-row">
                  <th scope="row" className="px-2 py-1.5 text-left font-mono font-normal text-zinc-700 dark:text-zinc-300">
                    {r.route}
                  </th>
                  <td className={cell}>{formatCount(r.requests)}</td>
                  <td className={`${cell} ${r.errors > 0 ? 'text-red-600 dark:text-red-400' : ''}`}>{formatCount(r.errors)}</td>
                  <td className={cell}>{formatCount(r.tokens)}</td>
                  <td className={cell}>{formatUsd(r.costUsd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
