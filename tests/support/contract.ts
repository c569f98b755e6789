/**
 * Checks real responses of the HTTP API against its OpenAPI document (lib/api/openapi.ts) with a
 * JSON Schema 2020-12 validator: the status must be documented for the operation, the content type
 * too, and the body must match its schema; a stream's events must each be documented by name and
 * match theirs. Nothing here knows the shapes: they come from the document.
 */
import Ajv2020 from 'ajv/dist/2020.js';
import { expect } from 'vitest';
import { openApiDocument } from '@/lib/api/openapi';
import { readEvents } from '@/tests/support/sse';

type Json = Record<string, unknown>;

export const document = openApiDocument() as { paths: Record<string, Record<string, Json>>; components: { schemas: Record<string, Json> } };

const DOC_ID = 'openapi';
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, strictTypes: false });
ajv.addKeyword('x-sse-events');
ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
ajv.addFormat('date-time', { validate: (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(s) && !Number.isNaN(Date.parse(s)) });
ajv.addFormat('uri', { validate: (s: string) => URL.canParse(s) });
ajv.addFormat('binary', true);

// The document's schemas under one id, and its references made absolute, so any schema in it compiles on its own.
const absolute = (value: unknown): unknown => JSON.parse(JSON.stringify(value).replaceAll('"#/components/schemas/', `"${DOC_ID}#/$defs/`));
ajv.addSchema({ $id: DOC_ID, $defs: absolute(document.components.schemas) } as Json);

const compiled = new Map<string, ReturnType<typeof ajv.compile>>();
function validator(schema: Json) {
  const key = JSON.stringify(schema);
  if (!compiled.has(key)) compiled.set(key, ajv.compile(absolute(schema) as Json));
  return compiled.get(key)!;
}

/** Errors of `value` against `schema` (a schema of the document, or a reference into it), or null. */
export function schemaErrors(schema: Json, value: unknown): string | null {
  const validate = validator(schema);
  return validate(value) ? null : ajv.errorsText(validate.errors, { dataVar: 'body' });
}

export type OperationKey = `${'GET' | 'POST'} ${string}`;

/** Which (operation, status) pairs have been checked, to show every operation was. */
export const checked = new Set<string>();

/**
 * Reads `response` and checks it against the document's description of `operation` (e.g.
 * `POST /api/v1/analyze/image`); returns the body (JSON, or the parsed events) for more checks.
 */
export async function conforms(operation: OperationKey, response: Response): Promise<unknown> {
  const [method, path] = operation.split(' ');
  const described = document.paths[path]?.[method.toLowerCase()] as { responses: Record<string, { content?: Record<string, Json>; headers?: Record<string, Json> }> } | undefined;
  expect(described, `${operation} is documented`).toBeDefined();
  const documented = described!.responses[String(response.status)];
  expect(documented, `${operation} documents status ${response.status}`).toBeDefined();
  const type = (response.headers.get('content-type') ?? '').split(';')[0];
  const media = documented.content?.[type];
  expect(media, `${operation} documents ${type} for status ${response.status}`).toBeDefined();
  for (const header of Object.keys(documented.headers ?? {})) expect(response.headers.get(header), `${operation} sends ${header}`).not.toBeNull();
  checked.add(`${operation} ${response.status}`);

  if (type === 'text/event-stream') {
    const events = readEvents(await response.text());
    const schemas = media!['x-sse-events'] as Record<string, Json>;
    for (const { event, data } of events) {
      expect(Object.keys(schemas), `${operation} documents the event "${event}"`).toContain(event);
      expect(schemaErrors(schemas[event], data), `${operation} event "${event}"`).toBeNull();
    }
    return events;
  }
  const body = await response.json();
  expect(schemaErrors(media!.schema as Json, body), `${operation} ${response.status}`).toBeNull();
  return body;
}
