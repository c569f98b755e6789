import type { Metadata } from 'next';
import { openApiDocument } from '@/lib/api/openapi';
import { HEARTBEAT_MS } from '@/lib/api/sse';
import { perMinute } from '@/lib/auth/rate-limit';
import { errorStatus } from '@/lib/errors';
import { OperationView, type Operation } from './operation-view';
import { Fields, Prose, schemaAnchor, TypeOf, type Schemas } from './schema-view';

export const metadata: Metadata = { title: 'HTTP API · Glimpse' };
// The rate limit shown is the one in force where the app runs, not where it was built.
export const dynamic = 'force-dynamic';

interface Document {
  info: { title: string; description: string };
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, Omit<Operation, 'method' | 'path'> & { tags: string[] }>>;
  components: { schemas: Schemas };
}

const code = 'rounded bg-zinc-100 px-1 font-mono text-[0.85em] dark:bg-zinc-800';

// /api-docs – the HTTP API for people: the same OpenAPI document GET /api/v1/openapi.json serves, rendered
export default function ApiDocsPage() {
  const doc = openApiDocument() as unknown as Document;
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ ...op, path, method: method.toUpperCase() })));
  return (
    <div className="h-full overflow-y-auto">
      <main className="mx-auto flex max-w-3xl flex-col gap-8 px-4 py-8">
        <header>
          <h1 className="text-2xl font-semibold tracking-tight">{doc.info.title}</h1>
          <Prose text={doc.info.description} className="mt-2 text-zinc-600 dark:text-zinc-300" />
          <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-300">
            Machine-readable: <a className="text-sky-700 underline dark:text-sky-400" href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1). The examples read the server’s address and
            your key from <code className={code}>$GLIMPSE_URL</code> and <code className={code}>$GLIMPSE_KEY</code>.
          </p>
        </header>

        <section aria-labelledby="basics" className="flex flex-col gap-3 text-sm text-zinc-600 dark:text-zinc-300">
          <h2 id="basics" className="text-lg font-semibold text-zinc-900 dark:text-zinc-100">
            Basics
          </h2>
          <p>
            <strong className="text-zinc-900 dark:text-zinc-100">Keys.</strong> Create one in <a className="text-sky-700 underline dark:text-sky-400" href="/settings">Settings</a> and send it as{' '}
            <code className={code}>Authorization: Bearer glk_…</code>. Each key may make {perMinute('apiKey')} requests a minute (then 429 with <code className={code}>Retry-After</code>); questions,
            uploads and minutes count against its owner’s daily quotas, as in the app.
          </p>
          <p>
            <strong className="text-zinc-900 dark:text-zinc-100">Streams.</strong> With <code className={code}>stream: true</code> an answer comes as Server-Sent Events:{' '}
            <code className={code}>event: &lt;name&gt;</code> and one <code className={code}>data: &lt;JSON&gt;</code> line each, then a blank line. While the model is silent a{' '}
            <code className={code}>: heartbeat</code> comment line comes at least every {HEARTBEAT_MS / 1000} s; clients ignore it. Use <code className={code}>curl -N</code> to see events as they come.
          </p>
          <p>
            <strong className="text-zinc-900 dark:text-zinc-100">Errors</strong> have one shape, <code className={code}>{'{ "error": { "code", "message" } }'}</code>: the code is for programs, the
            message for people.
          </p>
          <table className="w-full text-left text-sm">
            <thead>
              <tr className="border-b border-zinc-200 dark:border-zinc-800">
                <th className="py-1 font-medium">code</th>
                <th className="py-1 text-right font-medium">status</th>
              </tr>
            </thead>
            <tbody data-testid="api-error-codes">
              {Object.entries(errorStatus).map(([name, status]) => (
                <tr key={name} className="border-b border-zinc-100 dark:border-zinc-900">
                  <td className="py-1 font-mono text-xs">{name}</td>
                  <td className="py-1 text-right font-mono text-xs tabular-nums">{status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>

        <nav aria-label="Endpoints" className="text-sm">
          <h2 className="text-lg font-semibold">Endpoints</h2>
          <ul className="mt-2 space-y-1">
            {operations.map((op) => (
              <li key={op.operationId}>
                <a href={`#${op.operationId}`} className="inline-flex flex-wrap gap-x-2 hover:underline">
                  <span className="w-10 font-mono text-xs font-bold">{op.method}</span>
                  <code className="font-mono break-all">{op.path}</code>
                  <span className="text-zinc-500 dark:text-zinc-400">{op.summary}</span>
                </a>
              </li>
            ))}
          </ul>
        </nav>

        {doc.tags.map((tag) => (
          <section key={tag.name} aria-labelledby={`tag-${tag.name}`} className="flex flex-col gap-4">
            <div>
              <h2 id={`tag-${tag.name}`} className="text-lg font-semibold">
                {tag.name}
              </h2>
              <Prose text={tag.description} className="text-sm text-zinc-600 dark:text-zinc-300" />
            </div>
            {operations
              .filter((op) => op.tags.includes(tag.name))
              .map((op) => (
                <OperationView key={op.operationId} operation={op} schemas={doc.components.schemas} />
              ))}
          </section>
        ))}

        <section aria-labelledby="schemas" className="flex flex-col gap-4">
          <h2 id="schemas" className="text-lg font-semibold">
            Answers and events
          </h2>
          {/* Request bodies are shown with their endpoint; everything else they link to is here. */}
          {Object.entries(doc.components.schemas)
            .filter(([name]) => !name.endsWith('Request'))
            .map(([name, schema]) => (
              <div key={name} id={schemaAnchor(name)} className="scroll-mt-4 rounded-xl border border-zinc-200 p-4 dark:border-zinc-800">
                <h3 className="font-mono font-semibold">{name}</h3>
                <Prose text={schema.description} className="mt-1 text-sm text-zinc-600 dark:text-zinc-300" />
                {(schema.oneOf ?? schema.anyOf) && (
                  <p className="mt-1 font-mono text-xs">
                    <TypeOf schema={schema} />
                  </p>
                )}
                <Fields schema={schema} schemas={doc.components.schemas} />
              </div>
            ))}
        </section>
      </main>
    </div>
  );
}
