import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum, type ErrorRegistry, type SqlQueryable } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import pg from 'pg';

/*
 * Prisma's schema engine compiled to WebAssembly, driven through @prisma/adapter-pg: the same
 * engine the CLI ships, without the native binary the CLI would download first.
 */

export type { SchemaEngine };
export type SchemaFiles = Array<{ path: string; content: string }>;

let engineClass: Promise<typeof bindings.SchemaEngine> | undefined;

// The package's entry point imports the .wasm file as an ES module, which Node 20 cannot do, so
// the module is instantiated by hand around the generated bindings (as Prisma's own loader does).
function loadEngineClass(): Promise<typeof bindings.SchemaEngine> {
  engineClass ??= (async () => {
    const entry = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm');
    const bytes = await readFile(path.join(path.dirname(entry), 'schema_engine_bg.wasm'));
    const imports: WebAssembly.ModuleImports = { ...(bindings as unknown as WebAssembly.ModuleImports) };
    for (const name of Object.keys(imports).filter((key) => key.startsWith('__wbg_setTimeout_'))) {
      // The engine's timeouts (e.g. 10 s for the advisory lock) are never cleared; unref'd, they
      // stop keeping the process alive after the work they guard is done.
      imports[name] = (callback: () => void, ms: number) => setTimeout(callback, ms >>> 0).unref();
    }
    const instance = await WebAssembly.instantiate(await WebAssembly.compile(bytes), {
      './schema_engine_bg.js': imports,
    });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bindings.SchemaEngine;
  })();
  return engineClass;
}

// The engine reports a Rust panic's message through this global; without it the message is lost.
const panics = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(message: string): void } };
panics.PRISMA_WASM_PANIC_REGISTRY ??= {
  set_message(message) {
    console.error(`schema engine panicked: ${message}`);
  },
};

const POSTGRES_CHAR_OID = 18;
const POSTGRES_TEXT_OID = 25;

// Result rows → indexes of their `"char"` columns, from the pg client up to the adapter.
const charColumns = new WeakMap<object, number[]>();

type PgResult = { fields?: Array<{ dataTypeID: number }>; rows?: object };
function hideCharColumns<T extends PgResult>(result: T): T {
  const indexes: number[] = [];
  result?.fields?.forEach((field, index) => {
    if (field.dataTypeID !== POSTGRES_CHAR_OID) return;
    field.dataTypeID = POSTGRES_TEXT_OID;
    indexes.push(index);
  });
  if (indexes.length && result.rows) charColumns.set(result.rows, indexes);
  return result;
}

/**
 * adapter-pg 7.10.1 rejects columns of the catalog type `"char"` (pg_class.relkind,
 * pg_constraint.contype…), which the engine reads to describe a schema. The client passes them
 * off as text so the adapter accepts them; `restoreCharColumns` then tells the engine what they
 * are, as it reads them as single characters.
 */
class CatalogClient extends pg.Client {
  // Forwards every overload of pg's query(), hence the loose signature.
  override query(...args: unknown[]): any {
    const last = args.at(-1);
    const query = super.query as (...a: unknown[]) => unknown;
    if (typeof last === 'function') {
      return query.call(this, ...args.slice(0, -1), (error: unknown, result: PgResult) =>
        last(error, error ? result : hideCharColumns(result)),
      );
    }
    const pending = query.apply(this, args);
    return pending instanceof Promise ? pending.then(hideCharColumns) : pending;
  }
}

function restoreCharColumns<Q extends SqlQueryable>(queryable: Q): Q {
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const index of charColumns.get(result.rows) ?? []) result.columnTypes[index] = ColumnTypeEnum.Character;
    return result;
  };
  return queryable;
}

export interface EngineDatabases {
  /** The database the engine migrates and inspects. */
  url: string;
  /** A database the engine may wipe, for replaying migrations. */
  shadowUrl: string;
}

/**
 * Runs `fn` with an engine on `databases`. PrismaPg's own shadow database handling is bypassed:
 * given a connection string it creates the "shadow" on the main database, and it drops the
 * shadow while its pool is still connected.
 */
export async function withSchemaEngine<T>(
  databases: EngineDatabases,
  schema: SchemaFiles,
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const pools: pg.Pool[] = [];
  const connectTo = (url: string, wipe: boolean) => async () => {
    // One connection each, as the native engine has: session state (search_path, locks) sticks.
    const pool = new pg.Pool({ connectionString: url, Client: CatalogClient, max: 1 });
    pools.push(pool);
    // The wasm engine replays migrations into whatever shadow it is handed, once per check, and
    // expects it empty each time (PrismaPg makes a new database per call).
    if (wipe) await pool.query('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public');
    const adapter = restoreCharColumns(await new PrismaPg(pool).connect());
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolation) => restoreCharColumns(await startTransaction(isolation));
    // adapter-pg splits scripts at every ";", which breaks any migration with a ";" inside a
    // string or a function body; Postgres runs a multi-statement script as sent, like the
    // native engine does.
    adapter.executeScript = async (script) => {
      await pool.query(script);
    };
    return adapter;
  };
  const factory = bindMigrationAwareSqlAdapterFactory({
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: connectTo(databases.url, false),
    connectToShadowDb: connectTo(databases.shadowUrl, true),
  });
  try {
    const SchemaEngineClass = await loadEngineClass();
    const engine = await SchemaEngineClass.new(
      { datamodels: schema.map((file) => [file.path, file.content]) },
      () => {},
      factory,
    );
    try {
      return await fn(engine);
    } catch (error) {
      throw withJsCause(error, factory.errorRegistry);
    } finally {
      engine.free();
    }
  } finally {
    await Promise.all(pools.map((pool) => pool.end()));
  }
}

/** The engine reports errors thrown on the JS side only as "External error id#N"; add them. */
function withJsCause(error: unknown, registry: ErrorRegistry): unknown {
  const id = /External error id#(\d+)/.exec(String((error as Error)?.message))?.[1];
  const cause = id === undefined ? undefined : registry.consumeError(Number(id))?.error;
  if (!(cause instanceof Error)) return error;
  return new Error(`${(error as Error).message}\nCaused by: ${cause.message}`, { cause });
}
