'use client';

import type { ModelSpec } from '@/lib/ai/catalog';
import type { Detail } from '@/lib/media/types';

const selectClass =
  'rounded-lg border border-zinc-300 bg-white px-2.5 py-1.5 text-sm focus:outline-none focus:ring-2 focus:ring-sky-500 disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-900';

export function ModelPicker(props: {
  models: ModelSpec[];
  modelId: string | null;
  onModelChange: (id: string) => void;
  detail: Detail;
  onDetailChange: (detail: Detail) => void;
  disabled: boolean;
}) {
  const model = props.models.find((m) => m.id === props.modelId);
  return (
    <div className="flex flex-wrap items-center gap-2">
      <label className="sr-only" htmlFor="model-picker">
        Model
      </label>
      <select
        id="model-picker"
        data-testid="model-picker"
        className={selectClass}
        value={props.modelId ?? ''}
        disabled={props.disabled}
        onChange={(e) => props.onModelChange(e.target.value)}
      >
        {props.models.map((m) => (
          <option key={m.id} value={m.id}>
            {m.label}
            {m.price ? ` · $${m.price.input}/$${m.price.output} per 1M` : ''}
          </option>
        ))}
      </select>
      {model?.imageSizing.kind === 'openai-detail' && (
        <>
          <label className="sr-only" htmlFor="detail-picker">
            Image detail
          </label>
          <select
            id="detail-picker"
            data-testid="detail-picker"
            className={selectClass}
            value={props.detail}
            disabled={props.disabled}
            onChange={(e) => props.onDetailChange(e.target.value as Detail)}
            title="How much of each image the model looks at; low is cheapest"
          >
            <option value="auto">Detail: auto</option>
            <option value="low">Detail: low</option>
            <option value="high">Detail: high</option>
          </select>
        </>
      )}
    </div>
  );
}
