'use client';

import { useRouter } from 'next/navigation';
import { useState, type KeyboardEvent, type ReactNode } from 'react';
import type { ModelSpec } from '@/lib/ai/catalog';
import { imageTokensFor } from '@/lib/ai/budget';
import type { ChatUploadLimits } from '@/lib/chat/page-data';
import type { Detail } from '@/lib/media/types';
import { readableError } from '@/components/chat/errors';
import { ModelPicker } from '@/components/chat/model-picker';
import { formatCount, formatUsd } from '@/components/ui/format';
import { createBatch } from '@/components/batch/batch-api';
import { ColumnsEditor } from '@/components/batch/columns-editor';
import { FileDropZone, useFileDrop } from '@/components/batch/file-drop-zone';
import { FileGrid } from '@/components/batch/file-grid';
import { MAX_PROMPT_CHARS, startBlocker, type ColumnDraft } from '@/components/batch/start-check';
import { fieldClass, primaryButtonClass } from '@/components/batch/styles';
import { useBatchFiles } from '@/components/batch/use-batch-files';

/**
 * A new batch: the images, one prompt, a model and optional output columns; Start queues it and opens
 * its page. `children` scroll with the form, below it (the list of earlier batches).
 */
export function NewBatchForm(props: { models: ModelSpec[]; modelId: string | null; limits: ChatUploadLimits; children: ReactNode }) {
  const router = useRouter();
  const staged = useBatchFiles(props.limits);
  const [prompt, setPrompt] = useState('');
  const [modelId, setModelId] = useState(props.modelId);
  const [detail, setDetail] = useState<Detail>('auto');
  const [columns, setColumns] = useState<ColumnDraft[]>([]);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const drop = useFileDrop(staged.add, !starting);

  const model = props.models.find((m) => m.id === modelId) ?? null;
  const ready = staged.files.filter((f) => f.state === 'ready' && f.uploaded).map((f) => f.uploaded!);
  const blocker = startBlocker({ files: staged.files, prompt, modelId, columns });
  const imageTokens = model ? ready.reduce((sum, image) => sum + imageTokensFor(model, detail, image.width, image.height), 0) : 0;

  async function start() {
    if (blocker || !modelId || starting) return;
    setStarting(true);
    setError(null);
    try {
      const { id } = await createBatch({
        prompt: prompt.trim(),
        modelId,
        detail,
        columns: columns.map((c) => ({ name: c.name.trim(), type: c.type, ...(c.description.trim() ? { description: c.description.trim() } : {}) })),
        mediaIds: ready.map((image) => image.id),
      });
      router.push(`/batch/${id}`);
    } catch (failure) {
      setError(readableError(failure as Error));
      setStarting(false);
    }
  }

  function onPromptKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
      e.preventDefault();
      void start();
    }
  }

  return (
    <div data-testid="batch-form" className="relative flex min-h-0 flex-1 flex-col" {...drop.handlers}>
      {drop.dragging && (
        <div className="pointer-events-none absolute inset-0 z-20 flex items-center justify-center border-2 border-dashed border-sky-500 bg-sky-500/10 text-lg font-medium text-sky-700 dark:text-sky-300">
          Drop images or folders to add them to the batch
        </div>
      )}
      <div className="min-h-0 flex-1 overflow-y-auto">
        <div className="mx-auto flex max-w-3xl flex-col gap-6 px-4 py-6">
          <section aria-label="Images" className="flex flex-col gap-3">
            <FileDropZone onAdd={staged.add} compact={staged.files.length > 0} disabled={starting} />
            {staged.notice && (
              <p role="alert" data-testid="batch-files-notice" className="text-sm text-amber-700 dark:text-amber-400">
                {staged.notice}
              </p>
            )}
            {staged.files.length > 0 && <FileGrid files={staged.files} disabled={starting} onRemove={staged.remove} onRetryFailed={staged.retryFailed} />}
          </section>

          <section className="flex flex-col gap-1.5">
            <div className="flex items-baseline justify-between gap-3">
              <label htmlFor="batch-prompt" className="text-sm font-medium">
                Prompt <span className="font-normal text-zinc-500 dark:text-zinc-400">— asked of every image on its own</span>
              </label>
              <span className={`text-xs tabular-nums ${prompt.trim().length > MAX_PROMPT_CHARS ? 'text-red-600 dark:text-red-400' : 'text-zinc-500 dark:text-zinc-400'}`}>
                {formatCount(prompt.trim().length)} / {formatCount(MAX_PROMPT_CHARS)}
              </span>
            </div>
            <textarea
              id="batch-prompt"
              data-testid="batch-prompt"
              rows={3}
              value={prompt}
              disabled={starting}
              onChange={(e) => setPrompt(e.target.value)}
              onKeyDown={onPromptKeyDown}
              placeholder="e.g. What product is shown, and how many of them are there?"
              className={`${fieldClass} max-h-72 min-h-20 resize-y py-2 field-sizing-content`}
            />
          </section>

          <section className="flex flex-col gap-1.5">
            <span className="text-sm font-medium">Model</span>
            <ModelPicker models={props.models} modelId={modelId} onModelChange={setModelId} detail={detail} onDetailChange={setDetail} disabled={starting} />
          </section>

          <ColumnsEditor columns={columns} onChange={setColumns} disabled={starting} />
          {props.children}
        </div>
      </div>

      <div className="border-t border-zinc-200 bg-white py-3 dark:border-zinc-800 dark:bg-zinc-950">
        <div className="mx-auto flex max-w-3xl items-center gap-4 px-4">
          <div className="min-w-0 flex-1 text-xs sm:text-sm">
            {error ? (
              <p role="alert" data-testid="batch-start-error" className="text-red-600 dark:text-red-400">
                {error}
              </p>
            ) : blocker ? (
              <p data-testid="batch-start-reason" aria-live="polite" className="text-zinc-500 dark:text-zinc-400">
                {blocker}
              </p>
            ) : (
              <p data-testid="batch-estimate" className="text-zinc-500 dark:text-zinc-400">
                {ready.length} image{ready.length === 1 ? '' : 's'} ≈ {formatCount(imageTokens)} input tokens
                {model?.price ? ` (${formatUsd((imageTokens * model.price.input) / 1e6)} before the prompt and answers)` : ''}. Cached answers are free.
              </p>
            )}
          </div>
          <button type="button" data-testid="batch-start" disabled={blocker !== null || starting} onClick={() => void start()} title="Ctrl+Enter in the prompt" className={`${primaryButtonClass} shrink-0 whitespace-nowrap`}>
            {starting ? 'Starting…' : ready.length > 0 ? `Start batch of ${formatCount(ready.length)}` : 'Start batch'}
          </button>
        </div>
      </div>
    </div>
  );
}
