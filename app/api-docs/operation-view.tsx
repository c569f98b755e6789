import { Fields, Prose, TypeOf, type Schema, type Schemas } from './schema-view';

export interface Operation {
  method: string;
  path: string;
  operationId: string;
  summary: string;
  description: string;
  security?: unknown[];
  parameters?: { name: string; in: string; required: boolean; description?: string; schema: Schema }[];
  requestBody?: { description?: string; content: Record<string, { schema: Schema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: Schema; 'x-sse-events'?: Record<string, Schema> }> }>;
  'x-codeSamples': { label: string; source: string }[];
}

const methodColour: Record<string, string> = {
  GET: 'bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300',
  POST: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300',
};

const heading = 'text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400';

/** One endpoint: what it does, what it takes, what it answers (statuses, bodies, events), and a curl example. */
export function OperationView({ operation, schemas }: { operation: Operation; schemas: Schemas }) {
  const body = operation.requestBody && Object.entries(operation.requestBody.content)[0];
  return (
    <section id={operation.operationId} aria-labelledby={`${operation.operationId}-title`} data-testid="api-operation" className="scroll-mt-4 rounded-xl border border-zinc-200 p-4 dark:border-zinc-800">
      <h3 id={`${operation.operationId}-title`} className="flex flex-wrap items-center gap-2">
        <span className={`rounded px-1.5 py-0.5 font-mono text-xs font-bold ${methodColour[operation.method] ?? ''}`}>{operation.method}</span>
        <code className="font-mono text-sm font-semibold break-all">{operation.path}</code>
      </h3>
      <p className="mt-1 font-medium">{operation.summary}</p>
      <Prose text={operation.description} className="mt-1 text-sm text-zinc-600 dark:text-zinc-300" />
      {operation.security?.length === 0 && <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">No key needed.</p>}

      {operation.parameters && (
        <div className="mt-4">
          <h4 className={heading}>Parameters</h4>
          <Fields
            schemas={schemas}
            schema={{
              properties: Object.fromEntries(operation.parameters.map((p) => [p.name, { ...p.schema, description: [`In the ${p.in}.`, p.description].filter(Boolean).join(' ') }])),
              required: operation.parameters.filter((p) => p.required).map((p) => p.name),
            }}
          />
        </div>
      )}

      {body && (
        <div className="mt-4">
          <h4 className={heading}>
            Request body <span className="font-mono normal-case">{body[0]}</span>
          </h4>
          <Prose text={operation.requestBody!.description} className="mt-1 text-sm text-zinc-600 dark:text-zinc-300" />
          <Fields schema={body[1].schema} schemas={schemas} />
        </div>
      )}

      <div className="mt-4">
        <h4 className={heading}>Responses</h4>
        <dl className="mt-1 space-y-2 text-sm">
          {Object.entries(operation.responses).map(([status, response]) => (
            <div key={status}>
              <dt className="flex flex-wrap items-baseline gap-x-2">
                <span className={`font-mono font-semibold ${Number(status) < 400 ? 'text-emerald-700 dark:text-emerald-400' : 'text-rose-700 dark:text-rose-400'}`}>{status}</span>
                {Object.entries(response.content ?? {}).map(([type, media]) => (
                  <span key={type} className="font-mono text-xs text-zinc-500 dark:text-zinc-400">
                    {type} {type === 'application/json' && <TypeOf schema={media.schema.allOf?.[0] ?? media.schema} />}
                  </span>
                ))}
              </dt>
              <dd className="text-zinc-600 dark:text-zinc-300">
                <Prose text={response.description} />
                <Events events={response.content?.['text/event-stream']?.['x-sse-events']} />
              </dd>
            </div>
          ))}
        </dl>
      </div>

      {operation['x-codeSamples'].map((sample) => (
        <div key={sample.label} className="mt-4">
          <h4 className={heading}>Example ({sample.label})</h4>
          <pre className="mt-1 overflow-x-auto rounded-lg bg-zinc-900 px-3 py-2 font-mono text-xs text-zinc-100 dark:bg-black">
            <code>{sample.source}</code>
          </pre>
        </div>
      ))}
    </section>
  );
}

function Events({ events }: { events?: Record<string, Schema> }) {
  if (!events) return null;
  return (
    <ul className="mt-1 space-y-0.5">
      {Object.entries(events).map(([name, schema]) => (
        <li key={name}>
          <code className="font-mono text-xs">event: {name}</code> → <span className="font-mono text-xs">
            <TypeOf schema={schema} />
          </span>
        </li>
      ))}
    </ul>
  );
}
