import { testConnection } from '@/app/admin/actions';
import { ConnectionTest } from '@/components/admin/connection-test';
import { formatCount } from '@/components/ui/format';
import { availableModels } from '@/lib/ai/registry';
import { transcriptionModel } from '@/lib/ai/transcription';
import { requireAdmin } from '@/lib/auth/admin';

const price = (spec: { price: { input: number; output: number } | null }) => (spec.price ? `$${spec.price.input} / $${spec.price.output} per million tokens in / out` : 'price unknown');

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
      {models.length === 0 && !transcription ? (
        <p data-testid="admin-models-empty" className="text-sm text-zinc-500">
          No model is configured: see the setup panel on the chat page.
        </p>
      ) : (
        // Cards, not a table: a test report under each model reads on a phone too.
        <ul data-testid="admin-models-list" className="grid gap-3 lg:grid-cols-2">
          {models.map((model) => (
            <ModelCard key={model.id} title={model.label} id={model.id} facts={['Chat, videos, batches', `${formatCount(model.contextTokens)} tokens of context`, price(model)]} />
          ))}
          {transcription && <ModelCard title="Transcription" id={transcription.id} facts={['Recordings and the sound of videos', 'priced per minute of audio']} />}
        </ul>
      )}
    </div>
  );
}

function ModelCard(props: { title: string; id: string; facts: string[] }) {
  return (
    <li data-testid="admin-model-row" className="flex flex-col gap-3 rounded-xl border border-zinc-200 p-4 dark:border-zinc-800">
      <div>
        <p className="font-medium">{props.title}</p>
        <code className="break-all font-mono text-xs text-zinc-500">{props.id}</code>
        <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">{props.facts.join(' · ')}</p>
      </div>
      <ConnectionTest modelId={props.id} run={testConnection} />
    </li>
  );
}
