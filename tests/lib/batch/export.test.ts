import { describe, expect, it } from 'vitest';
import { batchCsv, batchJson } from '@/lib/batch/export';
import type { BatchItemView, BatchSummary } from '@/lib/batch/types';

const summary = (columns: BatchSummary['columns']): BatchSummary => ({
  id: 'b1',
  prompt: 'Describe',
  modelId: 'compatible:stub-vision',
  modelLabel: 'stub-vision',
  detail: 'auto',
  columns,
  status: 'completed',
  error: null,
  counts: { total: 2, pending: 0, running: 0, succeeded: 1, failed: 1 },
  cachedCount: 1,
  costUsd: 0.0012,
  throughputPerMinute: null,
  etaSeconds: null,
  createdAt: '2026-11-24T10:00:00.000Z',
  startedAt: '2026-11-24T10:00:01.000Z',
  finishedAt: '2026-11-24T10:00:09.000Z',
});

const item = (over: Partial<BatchItemView>): BatchItemView => ({
  id: 'i',
  index: 0,
  mediaId: 'm',
  filename: 'a.png',
  status: 'succeeded',
  text: null,
  result: null,
  error: null,
  cached: false,
  costUsd: 0.0012,
  latencyMs: 900,
  ...over,
});

/** A minimal RFC 4180 reader: enough to read back what batchCsv wrote, quotes and line breaks included. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += c;
  }
  return rows;
}

describe('batchCsv', () => {
  it('writes one row per image with a column per defined column, values typed as text', () => {
    const columns: BatchSummary['columns'] = [
      { name: 'label', type: 'text' },
      { name: 'count', type: 'number' },
      { name: 'outdoor', type: 'boolean' },
      { name: 'tags', type: 'list' },
    ];
    const csv = batchCsv(summary(columns), [
      item({ filename: 'café, "big".png', result: { label: 'line one\nline two', count: 3, outdoor: false, tags: ['sky', 'lake'] } }),
      item({ index: 1, filename: 'b.png', status: 'failed', result: null, error: 'The model server failed (HTTP 500).', costUsd: null }),
    ]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(parseCsv(csv.slice(1))).toEqual([
      ['filename', 'label', 'count', 'outdoor', 'tags', 'status', 'error', 'cached', 'cost_usd'],
      ['café, "big".png', 'line one\nline two', '3', 'false', 'sky; lake', 'succeeded', '', 'false', '0.0012'],
      ['b.png', '', '', '', '', 'failed', 'The model server failed (HTTP 500).', 'false', ''],
    ]);
  });

  it('has one answer column without columns, and never lets a cell start a spreadsheet formula', () => {
    const csv = batchCsv(summary([]), [item({ text: '=HYPERLINK("http://evil","x")', filename: '@cmd.png' })]);
    expect(parseCsv(csv.slice(1))).toEqual([
      ['filename', 'answer', 'status', 'error', 'cached', 'cost_usd'],
      ["'@cmd.png", `'=HYPERLINK("http://evil","x")`, 'succeeded', '', 'false', '0.0012'],
    ]);
  });


  it('neutralises a list column and full-width formula signs as well', () => {
    const columns: BatchSummary['columns'] = [
      { name: 'tags', type: 'list' },
      { name: 'note', type: 'text' },
    ];
    const csv = batchCsv(summary(columns), [item({ result: { tags: ['=cmd|"/c calc"!A1', 'harbour'], note: '\uFF1DSUM(A1:A9)' } })]);
    expect(parseCsv(csv.slice(1))[1].slice(1, 3)).toEqual([`'=cmd|"/c calc"!A1; harbour`, "'\uFF1DSUM(A1:A9)"]);
  });
});

describe('batchJson', () => {
  it('keeps typed values and the batch settings', () => {
    const columns: BatchSummary['columns'] = [{ name: 'count', type: 'number' }];
    const json = batchJson(summary(columns), [item({ result: { count: 3 }, cached: true, costUsd: 0 })]);
    expect(json.batch).toMatchObject({ prompt: 'Describe', model: 'compatible:stub-vision', columns, cachedCount: 1, status: 'completed' });
    expect(json.items).toEqual([{ index: 0, filename: 'a.png', status: 'succeeded', result: { count: 3 }, error: null, cached: true, costUsd: 0 }]);
    expect(batchJson(summary([]), [item({ text: 'blue' })]).items[0]).toMatchObject({ answer: 'blue' });
  });
});
