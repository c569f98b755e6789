/** JSON Schemas of the OpenAPI document, shown for people: a type in a few words, and an object's fields as a table. */

export type Schema = {
  $ref?: string;
  type?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  additionalProperties?: Schema | boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
};

export type Schemas = Record<string, Schema>;

export const refName = (ref: string) => ref.split('/').at(-1)!;
export const schemaAnchor = (name: string) => `schema-${name}`;

/** Backticks become code, as in the document's descriptions. */
export function Prose({ text, className }: { text?: string; className?: string }) {
  if (!text) return null;
  return (
    <p className={className}>
      {text.split(/(`[^`]+`)/).map((piece, i) =>
        piece.startsWith('`') ? (
          <code key={i} className="rounded bg-zinc-100 px-1 font-mono text-[0.85em] dark:bg-zinc-800">
            {piece.slice(1, -1)}
          </code>
        ) : (
          piece
        ),
      )}
    </p>
  );
}

/** A schema's type in a few words; references link to the schema's own section. */
export function TypeOf({ schema }: { schema: Schema }) {
  if (schema.$ref) {
    const name = refName(schema.$ref);
    return (
      <a href={`#${schemaAnchor(name)}`} className="text-sky-700 underline dark:text-sky-400">
        {name}
      </a>
    );
  }
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return <Joined parts={union} />;
  if (schema.const !== undefined) return <>{JSON.stringify(schema.const)}</>;
  if (schema.enum) return <>{schema.enum.map((v) => JSON.stringify(v)).join(' | ')}</>;
  if (schema.type === 'array' && schema.items) {
    return (
      <>
        array of <TypeOf schema={schema.items} />
      </>
    );
  }
  if (schema.type === 'string' && schema.format === 'binary') return <>file</>;
  return <>{[schema.type ?? 'any', schema.format && `(${schema.format})`].filter(Boolean).join(' ')}</>;
}

function Joined({ parts }: { parts: Schema[] }) {
  return (
    <>
      {parts.map((part, i) => (
        <span key={i}>
          {i > 0 && ' | '}
          <TypeOf schema={part} />
        </span>
      ))}
    </>
  );
}

/** Limits a schema states, in words. */
function limits(schema: Schema): string[] {
  const said: string[] = [];
  if (schema.default !== undefined) said.push(`default ${JSON.stringify(schema.default)}`);
  if (schema.minimum !== undefined) said.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER) said.push(`≤ ${schema.maximum}`);
  if (schema.minLength !== undefined && schema.minLength > 1) said.push(`at least ${schema.minLength} characters`);
  if (schema.maxLength !== undefined) said.push(`at most ${schema.maxLength.toLocaleString('en')} characters`);
  if (schema.minItems !== undefined) said.push(`at least ${schema.minItems}`);
  if (schema.maxItems !== undefined) said.push(`at most ${schema.maxItems}`);
  return said;
}

/** An object schema's fields (a reference is followed), nested objects one level deep inline. */
export function Fields({ schema, schemas, depth = 0 }: { schema: Schema; schemas: Schemas; depth?: number }) {
  const resolved = schema.$ref ? schemas[refName(schema.$ref)] : schema;
  const properties = Object.entries(resolved?.properties ?? {});
  if (properties.length === 0) return null;
  return (
    <dl className={`divide-y divide-zinc-200 text-sm dark:divide-zinc-800 ${depth > 0 ? 'mt-2 border-l-2 border-zinc-200 pl-3 dark:border-zinc-800' : ''}`}>
      {properties.map(([name, property]) => (
        <div key={name} className="py-2">
          <dt className="flex flex-wrap items-baseline gap-x-2">
            <code className="font-mono font-semibold">{name}</code>
            <span className="font-mono text-xs text-zinc-500 dark:text-zinc-400">
              <TypeOf schema={property} />
            </span>
            {resolved.required?.includes(name) && <span className="text-xs font-medium text-amber-700 dark:text-amber-400">required</span>}
          </dt>
          <dd className="mt-0.5 text-zinc-600 dark:text-zinc-300">
            <Prose text={[property.description, limits(property).join(', ')].filter(Boolean).join(' — ')} />
            {depth < 1 && property.type === 'object' && <Fields schema={property} schemas={schemas} depth={depth + 1} />}
            {depth < 1 && property.type === 'array' && property.items?.type === 'object' && <Fields schema={property.items} schemas={schemas} depth={depth + 1} />}
          </dd>
        </div>
      ))}
    </dl>
  );
}
