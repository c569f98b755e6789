'use client';

import { useState } from 'react';
import { MAX_BATCH_COLUMNS, columnTypes, type ColumnType } from '@/lib/batch/types';
import { columnProblems, MAX_COLUMN_DESCRIPTION_CHARS, MAX_COLUMN_NAME_CHARS, type ColumnDraft } from '@/components/batch/start-check';
import { fieldClass } from '@/components/batch/styles';

const typeLabels: Record<ColumnType, string> = { text: 'Text', number: 'Number', boolean: 'Yes / no', list: 'List of text' };

/**
 * The optional output columns: with none, each image gets a free-text answer; with some, the model
 * fills one value per column (structured output) and the results table and exports get those columns.
 */
export function ColumnsEditor({ columns, onChange, disabled }: { columns: ColumnDraft[]; onChange: (columns: ColumnDraft[]) => void; disabled: boolean }) {
  // The row just added takes the focus, so columns can be typed one after another.
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const problems = columnProblems(columns);
  const edit = (key: string, patch: Partial<ColumnDraft>) => onChange(columns.map((c) => (c.key === key ? { ...c, ...patch } : c)));

  function add() {
    const key = crypto.randomUUID();
    setFocusKey(key);
    onChange([...columns, { key, name: '', type: 'text', description: '' }]);
  }

  return (
    <fieldset data-testid="batch-columns" disabled={disabled} className="flex flex-col gap-2">
      <legend className="text-sm font-medium">
        Output columns <span className="font-normal text-zinc-500 dark:text-zinc-400">(optional)</span>
      </legend>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        {columns.length === 0
          ? 'Without columns each image gets a free-text answer. Add columns to get one value per column instead, ready for a spreadsheet.'
          : 'The model fills each column for every image, or leaves it empty when the image does not tell.'}
      </p>
      {columns.length > 0 && (
        <ol className="flex flex-col gap-2">
          {columns.map((c, i) => (
            <li key={c.key} data-testid="batch-column" className="flex flex-col gap-1">
              <div className="grid grid-cols-[1fr_auto_auto] gap-2 sm:grid-cols-[11rem_8.5rem_1fr_auto]">
                <input
                  data-testid="batch-column-name"
                  aria-label={`Column ${i + 1} name`}
                  aria-invalid={problems[i] !== null}
                  placeholder="Name, e.g. label"
                  maxLength={MAX_COLUMN_NAME_CHARS}
                  autoFocus={c.key === focusKey}
                  value={c.name}
                  onChange={(e) => edit(c.key, { name: e.target.value })}
                  className={`${fieldClass} col-start-1 row-start-1 min-w-0 aria-invalid:border-red-400`}
                />
                <select
                  data-testid="batch-column-type"
                  aria-label={`Column ${i + 1} type`}
                  value={c.type}
                  onChange={(e) => edit(c.key, { type: e.target.value as ColumnType })}
                  className={`${fieldClass} col-start-2 row-start-1`}
                >
                  {columnTypes.map((t) => (
                    <option key={t} value={t}>
                      {typeLabels[t]}
                    </option>
                  ))}
                </select>
                <input
                  data-testid="batch-column-description"
                  aria-label={`Column ${i + 1} description`}
                  placeholder="What it holds (optional)"
                  maxLength={MAX_COLUMN_DESCRIPTION_CHARS}
                  value={c.description}
                  onChange={(e) => edit(c.key, { description: e.target.value })}
                  className={`${fieldClass} col-span-2 col-start-1 row-start-2 min-w-0 sm:col-span-1 sm:col-start-3 sm:row-start-1`}
                />
                <button
                  type="button"
                  data-testid="batch-column-remove"
                  aria-label={`Remove column ${c.name.trim() || i + 1}`}
                  onClick={() => onChange(columns.filter((x) => x.key !== c.key))}
                  className="col-start-3 row-start-1 rounded-lg px-2.5 text-lg leading-none text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 sm:col-start-4 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
                >
                  ×
                </button>
              </div>
              {problems[i] && (
                <p data-testid="batch-column-error" className="text-xs text-red-600 dark:text-red-400">
                  {problems[i]}
                </p>
              )}
            </li>
          ))}
        </ol>
      )}
      <div>
        <button
          type="button"
          data-testid="batch-column-add"
          onClick={add}
          disabled={columns.length >= MAX_BATCH_COLUMNS}
          title={columns.length >= MAX_BATCH_COLUMNS ? `A batch has at most ${MAX_BATCH_COLUMNS} columns` : undefined}
          className="rounded-lg border border-dashed border-zinc-300 px-3 py-1.5 text-sm font-medium text-zinc-700 hover:bg-zinc-100 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 disabled:cursor-not-allowed disabled:opacity-50 dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800"
        >
          + Add column
        </button>
      </div>
    </fieldset>
  );
}
