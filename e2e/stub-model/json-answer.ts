/**
 * The stub's structured-output answers: deterministic JSON that validates against whatever JSON
 * schema the request carries (`response_format: json_schema`), so comparisons, batch columns and
 * anything later can be tested without a model. Values are predictable from the schema alone:
 * strings name their property and position ("Stub values 2.3": the 3rd value of the 2nd item),
 * unconstrained arrays have one item per image in the request.
 */

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  $ref?: string;
  definitions?: Record<string, JsonSchema>;
  $defs?: Record<string, JsonSchema>;
};

/** What the chat completions request said about the answer's shape. */
export interface ResponseFormat {
  type?: string;
  json_schema?: { schema?: JsonSchema; name?: string };
}

interface Context {
  root: JsonSchema;
  /** Items of an array nobody constrained: one per image, as a comparison needs. */
  arrayLength: number;
  /** A nullable object is filled in only when the question asks for it ("which…?", "recommend…"). */
  fillNullable: boolean;
}

const NO_SCHEMA_ANSWER_KEY = 'answer';

/** Whether the question asks for a choice, which is when a model fills a nullable recommendation. */
export const asksForChoice = (prompt: string) => /\b(which|recommend)/i.test(prompt);

/** The JSON value for `schema`, as the stub answers it (exported so specs can predict it). */
export function stubJson(schema: JsonSchema | undefined, prompt: string, imageCount: number): unknown {
  // json_object without a schema: any object will do; one with the question keeps it traceable.
  if (!schema) return { [NO_SCHEMA_ANSWER_KEY]: `Stub JSON answer to: "${prompt}"` };
  return valueFor(schema, 'value', [], { root: schema, arrayLength: Math.max(1, imageCount), fillNullable: asksForChoice(prompt) });
}

function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const match = /^#\/(definitions|\$defs)\/(.+)$/.exec(schema.$ref);
  const target = match ? root[match[1] as 'definitions' | '$defs']?.[match[2]] : schema.$ref === '#' ? root : undefined;
  if (!target) throw new Error(`the stub cannot resolve $ref ${schema.$ref}`);
  return resolve(target, root);
}

const clamp = (n: number, schema: JsonSchema) => Math.min(schema.maximum ?? Infinity, Math.max(schema.minimum ?? -Infinity, n));

function valueFor(raw: JsonSchema, name: string, path: number[], ctx: Context): unknown {
  const schema = resolve(raw, ctx.root);
  if ('const' in schema) return schema.const;
  if (schema.enum) return schema.enum[(path.at(-1) ?? 0) % schema.enum.length];

  const branches = schema.anyOf ?? schema.oneOf;
  const types = branches ? branches.map((b) => resolve(b, ctx.root)) : [schema];
  const nullable = types.some((t) => t.type === 'null' || (Array.isArray(t.type) && t.type.includes('null')));
  const chosen = types.find((t) => t.type !== 'null');
  if (!chosen) return null;
  const type = Array.isArray(chosen.type) ? chosen.type.find((t) => t !== 'null') : chosen.type;
  // A nullable object (a recommendation) only when asked for; a nullable value (a batch column) the stub always knows.
  if (nullable && (type ?? (chosen.properties ? 'object' : '')) === 'object' && !ctx.fillNullable) return null;
  const position = path.length > 0 ? ` ${path.map((i) => i + 1).join('.')}` : '';

  switch (type ?? (chosen.properties ? 'object' : chosen.items ? 'array' : 'string')) {
    case 'object':
      return Object.fromEntries(Object.entries(chosen.properties ?? {}).map(([key, property]) => [key, valueFor(property, key, path, ctx)]));
    case 'array': {
      const length = clamp(ctx.arrayLength, { minimum: chosen.minItems, maximum: chosen.maxItems });
      return Array.from({ length }, (_, i) => valueFor(chosen.items ?? {}, name, [...path, i], ctx));
    }
    case 'integer':
      return clamp(1, chosen);
    case 'number':
      return clamp(1.5, chosen);
    case 'boolean':
      return (path.at(-1) ?? 0) % 2 === 0;
    default:
      return `Stub ${name}${position}`;
  }
}

/**
 * The answer as the stub streams it: pretty-printed so it splits into many deltas like text. A
 * broken one is the same JSON cut off midway with junk after it: partials parse, the whole does not.
 */
export function jsonAnswerText(format: ResponseFormat, prompt: string, imageCount: number, broken: boolean): string {
  const text = JSON.stringify(stubJson(format.json_schema?.schema, prompt, imageCount), null, 2);
  return broken ? `${text.slice(0, Math.floor(text.length / 2))} <<the stub broke this JSON>>` : text;
}
