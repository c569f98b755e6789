import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { readMigrationList } from '@/lib/db/create-migration';
import { applyMigrations } from '@/lib/db/migrate';
import { withSchemaEngine, type SchemaEngine } from '@/lib/db/schema-engine';
import { createScratchDatabase, type ScratchDatabase } from '@/lib/db/scratch-database';

const { serverUrl } = inject('database');
const MIGRATIONS = path.resolve('prisma/migrations');
const NO_FILTERS = { externalTables: [], externalEnums: [] };

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((fn) => fn()));
});

async function freshDatabase(): Promise<ScratchDatabase> {
  const db = await createScratchDatabase(serverUrl!, 'glimpse_migrate_test');
  cleanup.push(db.drop);
  return db;
}

async function query<R extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

async function copyOfMigrations(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-migrations-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  await cp(MIGRATIONS, dir, { recursive: true });
  return dir;
}

async function withEngineOn(url: string, fn: (engine: SchemaEngine) => Promise<void>) {
  const shadow = await freshDatabase();
  const schemaPath = path.resolve('prisma/schema.prisma');
  await withSchemaEngine({ url, shadowUrl: shadow.url }, [{ path: schemaPath, content: await readFile(schemaPath, 'utf8') }], fn);
}

const migrationNames = async () =>
  (await readdir(MIGRATIONS, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();

describe('applyMigrations on a Postgres server', () => {
  beforeEach((ctx) => ctx.skip(!serverUrl, 'DATABASE_URL is unset: these cases create databases on a real server'));

  it('applies every migration to a fresh database, recording them as Prisma does', async () => {
    const db = await freshDatabase();
    const names = await migrationNames();

    expect(await applyMigrations(db.url)).toEqual({ applied: names });

    const rows = await query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      logs: string | null;
      rolled_back_at: Date | null;
      applied_steps_count: number;
    }>(db.url, 'SELECT * FROM _prisma_migrations ORDER BY started_at');
    const sha256 = async (name: string) =>
      createHash('sha256').update(await readFile(path.join(MIGRATIONS, name, 'migration.sql'))).digest('hex');
    expect(rows).toEqual(
      await Promise.all(
        names.map(async (name) =>
          expect.objectContaining({
            migration_name: name,
            checksum: await sha256(name),
            finished_at: expect.any(Date),
            logs: null,
            rolled_back_at: null,
            applied_steps_count: 1,
          }),
        ),
      ),
    );
    const tables = await query<{ table_name: string }>(
      db.url,
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
    );
    expect(tables.map((t) => t.table_name)).toEqual(['Account', 'ApiKey', 'ApiUsage', 'AuditLog', 'Batch', 'BatchItem', 'CacheEntry', 'Conversation', 'Media', 'Message', 'Session', 'ShareLink', 'Transcript', 'TranscriptTranslation', 'UsageEvent', 'User', 'Verification', 'VideoFrame', 'VideoJob', '_prisma_migrations', 'rate_limits']);
  });

  it('applies nothing the second time', async () => {
    const db = await freshDatabase();
    await applyMigrations(db.url);
    expect(await applyMigrations(db.url)).toEqual({ applied: [] });
  });

  it('leaves a database that matches prisma/schema.prisma, and that Prisma considers fully migrated', async () => {
    const db = await freshDatabase();
    const schemaPath = path.resolve('prisma/schema.prisma');
    const files = [{ path: schemaPath, content: await readFile(schemaPath, 'utf8') }];
    const diffDatabaseToSchema = (engine: SchemaEngine) =>
      engine.diff({
        from: { tag: 'schemaDatasource', files, configDir: process.cwd() },
        to: { tag: 'schemaDatamodel', files },
        script: true,
        exitCode: true,
        filters: NO_FILTERS,
      });
    // The same diff on the empty database shows it really compares against the database.
    await withEngineOn(db.url, async (engine) => expect((await diffDatabaseToSchema(engine)).exitCode).toBe(2));

    await applyMigrations(db.url);

    await withEngineOn(db.url, async (engine) => {
      expect(await diffDatabaseToSchema(engine)).toEqual({ exitCode: 0, stdout: '-- This is an empty migration.\n' });
      const migrationsList = await readMigrationList(MIGRATIONS);
      expect(
        await engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: NO_FILTERS }),
      ).toEqual({ history: null, failedMigrationNames: [], editedMigrationNames: [], hasMigrationsTable: true });
      // What `prisma migrate deploy` would do now.
      expect(await engine.applyMigrations({ migrationsList, filters: NO_FILTERS })).toEqual({ appliedMigrationNames: [] });
    });
  });

  it('creates _prisma_migrations exactly as the schema engine does', async () => {
    const ours = await freshDatabase();
    const prismas = await freshDatabase();
    await applyMigrations(ours.url);
    await withEngineOn(prismas.url, async (engine) => {
      await engine.applyMigrations({ migrationsList: await readMigrationList(MIGRATIONS), filters: NO_FILTERS });
    });
    const describe = (url: string) =>
      query(
        url,
        `SELECT column_name, data_type, character_maximum_length, is_nullable, column_default, ordinal_position
         FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
      );
    expect(await describe(ours.url)).toEqual(await describe(prismas.url));
  });

  it('refuses to run when an applied migration was edited', async () => {
    const db = await freshDatabase();
    const dir = await copyOfMigrations();
    await applyMigrations(db.url, dir);
    const [first] = await migrationNames();
    await writeFile(path.join(dir, first, 'migration.sql'), '-- edited\n', { flag: 'a' });

    await expect(applyMigrations(db.url, dir)).rejects.toThrow(`Migration ${first} was changed after it was applied`);
  });

  it('accepts an applied migration whose line endings were converted', async () => {
    const db = await freshDatabase();
    const dir = await copyOfMigrations();
    await applyMigrations(db.url, dir);
    const [first] = await migrationNames();
    const file = path.join(dir, first, 'migration.sql');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/\n/g, '\r\n'));

    expect(await applyMigrations(db.url, dir)).toEqual({ applied: [] });
  });

  it('refuses to run while a migration is recorded as failed', async () => {
    const db = await freshDatabase();
    await applyMigrations(db.url);
    const [first] = await migrationNames();
    await query(db.url, "UPDATE _prisma_migrations SET finished_at = NULL, logs = 'boom' WHERE migration_name = $1", [first]);

    await expect(applyMigrations(db.url)).rejects.toThrow(`Migration ${first} is recorded as failed`);
  });

  it('rolls a failing migration back completely and records nothing', async () => {
    const db = await freshDatabase();
    const dir = await copyOfMigrations();
    await applyMigrations(db.url, dir);
    const broken = path.join(dir, '99990101000000_broken');
    await cp(path.join(dir, (await migrationNames())[0]), broken, { recursive: true });
    await writeFile(path.join(broken, 'migration.sql'), 'CREATE TABLE "Half" (id INT);\nSELECT * FROM "Missing";\n');

    await expect(applyMigrations(db.url, dir)).rejects.toThrow(/99990101000000_broken failed and was rolled back: .*"Missing"/);
    expect(await query(db.url, "SELECT 1 FROM information_schema.tables WHERE table_name = 'Half'")).toEqual([]);
    expect(await query(db.url, "SELECT 1 FROM _prisma_migrations WHERE migration_name LIKE '%broken'")).toEqual([]);
  });

  it('applies once when two runs start together', async () => {
    const db = await freshDatabase();
    const runs = await Promise.all([applyMigrations(db.url), applyMigrations(db.url)]);

    expect(runs.flatMap((run) => run.applied)).toEqual(await migrationNames());
    expect(await query(db.url, 'SELECT migration_name FROM _prisma_migrations')).toHaveLength(runs.flatMap((r) => r.applied).length);
  });
});
