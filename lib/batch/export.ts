import type { BatchItemView, BatchSummary, ColumnValue } from '@/lib/batch/types';

/**
 * Spreadsheets run a cell that starts like a formula (the full-width signs too, in some); a model's
 * answer, a list of them or a filename must never be one.
 */
function neutralized(text: string): string {
  return /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(text) ? `'${text}` : text;
}

function csvCell(value: ColumnValue | undefined): string {
  if (value === null || value === undefined) return '';
  const text = Array.isArray(value) ? neutralized(value.join('; ')) : typeof value === 'string' ? neutralized(value) : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row per image, in batch order: its columns' values (or the answer), then status and cost. */
export function batchCsv(batch: BatchSummary, items: BatchItemView[]): string {
  const valueHeaders = batch.columns.length > 0 ? batch.columns.map((c) => c.name) : ['answer'];
  const header = ['filename', ...valueHeaders, 'status', 'error', 'cached', 'cost_usd'];
  const rows = items.map((item) => {
    const values = batch.columns.length > 0 ? batch.columns.map((c) => item.result?.[c.name]) : [item.text];
    return [item.filename, ...values, item.status, item.error, item.cached, item.costUsd === null ? null : Number(item.costUsd.toFixed(8))];
  });
  // CRLF per RFC 4180; a BOM so spreadsheet programs read UTF-8 filenames and answers right.
  return '\uFEFF' + [header, ...rows].map((row) => row.map((v) => csvCell(v as ColumnValue)).join(',')).join('\r\n') + '\r\n';
}

export function batchJson(batch: BatchSummary, items: BatchItemView[]) {
  return {
    batch: { id: batch.id, prompt: batch.prompt, model: batch.modelId, detail: batch.detail, columns: batch.columns, status: batch.status, counts: batch.counts, cachedCount: batch.cachedCount, costUsd: batch.costUsd, createdAt: batch.createdAt, finishedAt: batch.finishedAt },
    items: items.map((item) => ({
      index: item.index,
      filename: item.filename,
      status: item.status,
      ...(batch.columns.length > 0 ? { result: item.result } : { answer: item.text }),
      error: item.error,
      cached: item.cached,
      costUsd: item.costUsd,
    })),
  };
}
