import { testConnection } from '@/app/admin/actions';
import { AdminTable, adminRowClass } from '@/components/admin/admin-table';
import { ConnectionTest } from '@/components/admin/connection-test';
import { formatCount } from '@/components/ui/format';
import { availableModels } from '@/lib/ai/registry';
import { transcriptionModel } from '@/lib/ai/transcription';
import { requireAdmin } from '@/lib/auth/admin';

const price = (spec: { price: { input: number; output: number } | null }) => (spec.price ? `$${spec.price.input} / $${spec.price.output} per M tokens` : 'unknown');

export default async function AdminModelsPage() {
  await requireAdmin();
  const models = await availableModels();
  const transcription = transcriptionModel();
  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-2xl font-semibold">Models</h1>
        <p className="mt-1 text-sm text-zinc-500">
          Every model this server is configured with. “Test connection” asks one tiny question (a red square; a one-second tone for transcription) and reports what the server does:
          vision, streaming, usage, thinking, structured output, timed transcript segments.
        </p>
      </div>
      <div className="overflow-x-auto">
        <AdminTable testId="admin-models-table" columns={['Model', 'Used for', 'Context', 'Price', 'Connection']} isEmpty={models.length === 0 && !transcription} empty="No model is configured: see the setup panel on the chat page.">
          {models.map((model) => (
            <tr key={model.id} className={`${adminRowClass} align-top`} data-testid="admin-model-row">
              <td className="py-2 pr-3">
                <span className="font-medium">{model.label}</span> <code className="font-mono text-xs text-zinc-500">{model.id}</code>
              </td>
              <td className="pr-3">Chat, videos, batches</td>
              <td className="pr-3 tabular-nums">{formatCount(model.contextTokens)} tokens</td>
              <td className="pr-3">{price(model)}</td>
              <td className="py-2">
                <ConnectionTest modelId={model.id} run={testConnection} />
              </td>
            </tr>
          ))}
          {transcription && (
            <tr className={`${adminRowClass} align-top`} data-testid="admin-model-row">
              <td className="py-2 pr-3">
                <code className="font-mono text-xs">{transcription.id}</code>
              </td>
              <td className="pr-3">Transcription</td>
              <td className="pr-3">–</td>
              <td className="pr-3">per minute of audio</td>
              <td className="py-2">
                <ConnectionTest modelId={transcription.id} run={testConnection} />
              </td>
            </tr>
          )}
        </AdminTable>
      </div>
    </div>
  );
}
