'use client';

import { useState, useTransition } from 'react';
import type { ConnectionReport } from '@/lib/ai/connection-test';

const words: Record<ConnectionReport['checks'][number]['name'], string> = {
  reachable: 'Reachable',
  vision: 'Vision',
  streaming: 'Streaming',
  usage: 'Usage',
  thinking: 'Thinking',
  structured: 'Structured output',
  segments: 'Transcript segments',
};

const mark = (ok: boolean | null) => (ok === null ? '–' : ok ? '✓' : '✗');
const tone = (ok: boolean | null) => (ok === null ? 'text-zinc-500' : ok ? 'text-emerald-700 dark:text-emerald-400' : 'text-red-700 dark:text-red-400');

/** "Test connection" for one configured model: runs the server action and lists what works. */
export function ConnectionTest(props: { modelId: string; run: (modelId: string) => Promise<ConnectionReport> }) {
  const [pending, start] = useTransition();
  const [report, setReport] = useState<ConnectionReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="flex flex-col gap-2" data-testid="connection-test" data-model={props.modelId}>
      <button
        type="button"
        data-testid="connection-test-run"
        disabled={pending}
        onClick={() => {
          setError(null);
          start(async () => {
            try {
              setReport(await props.run(props.modelId));
            } catch {
              setError('The test could not run. Reload and try again.');
            }
          });
        }}
        className="self-start rounded-md border border-zinc-300 px-2 py-1 text-xs hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-sky-500 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800"
      >
        {pending ? 'Testing…' : report ? 'Test again' : 'Test connection'}
      </button>
      {error && <p className="text-xs text-red-600">{error}</p>}
      {report && !pending && (
        <ul data-testid="connection-report" data-ok={report.ok} className="space-y-1 text-xs" aria-live="polite">
          {report.checks.map((check) => (
            <li key={check.name} data-testid={`connection-check-${check.name}`} data-ok={String(check.ok)} className="flex gap-2">
              <span aria-hidden className={`w-3 shrink-0 font-semibold ${tone(check.ok)}`}>
                {mark(check.ok)}
              </span>
              <span>
                <span className="font-medium">{words[check.name]}</span> <span className="text-zinc-600 dark:text-zinc-400">{check.detail}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
