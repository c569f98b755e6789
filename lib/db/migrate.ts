import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

/*
 * `prisma migrate deploy` with plain pg, so applying migrations needs no Prisma engine: same
 * folders, same `_prisma_migrations` rows, same advisory lock. The two can be used on one
 * database interchangeably.
 */

// Prisma's key: holding it also keeps out a `prisma migrate deploy` started meanwhile.
const PRISMA_LOCK_KEY = 72707369;
// A peer still migrating after this long is stuck; failing beats hanging the boot silently.
const LOCK_TIMEOUT = '60s';

// Verbatim what the schema engine creates, so Prisma finds the table it expects.
const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

interface Migration {
  name: string;
  script: string;
}

interface Recorded {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  logs: string | null;
}

export async function applyMigrations(
  databaseUrl: string,
  migrationsDir = 'prisma/migrations',
): Promise<{ applied: string[] }> {
  const migrations = await readMigrations(migrationsDir);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Held until client.end() closes the session, however the run ends.
    await lock(client);
    await client.query(CREATE_TABLE);
    const { rows } = await client.query<Recorded>(
      'SELECT migration_name, checksum, finished_at, logs FROM _prisma_migrations WHERE rolled_back_at IS NULL',
    );
    refuseBrokenHistory(migrations, rows);
    const applied: string[] = [];
    for (const migration of migrations) {
      if (await applyOne(client, migration)) applied.push(migration.name);
    }
    return { applied };
  } finally {
    await client.end();
  }
}

async function readMigrations(migrationsDir: string): Promise<Migration[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  return Promise.all(
    names.map(async (name) => ({ name, script: await readFile(path.join(migrationsDir, name, 'migration.sql'), 'utf8') })),
  );
}

async function lock(client: pg.Client): Promise<void> {
  await client.query(`SET lock_timeout = '${LOCK_TIMEOUT}'`);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_LOCK_KEY]);
  } catch (error) {
    if ((error as { code?: string }).code === '55P03') {
      throw new Error(`Another migration run held the migration lock (${PRISMA_LOCK_KEY}) for ${LOCK_TIMEOUT}`);
    }
    throw error;
  }
  await client.query('RESET lock_timeout');
}

function refuseBrokenHistory(migrations: Migration[], recorded: Recorded[]): void {
  for (const row of recorded) {
    if (!row.finished_at) {
      throw new Error(
        `Migration ${row.migration_name} is recorded as failed in _prisma_migrations` +
          (row.logs ? `:\n${row.logs}\n` : '. ') +
          'Repair the database by hand, then mark it rolled back (`prisma migrate resolve --rolled-back`, ' +
          'or set rolled_back_at on its row) before migrating again.',
      );
    }
    const local = migrations.find((migration) => migration.name === row.migration_name);
    if (local && !matchesChecksum(local.script, row.checksum)) {
      throw new Error(
        `Migration ${row.migration_name} was changed after it was applied (checksum ${row.checksum} recorded). ` +
          'Restore the applied version of its migration.sql and put the change in a new migration.',
      );
    }
  }
}

/**
 * Applies `migration` unless it is recorded already. The check is repeated inside the
 * transaction because on the embedded server every client shares one backend session, so the
 * advisory lock excludes nobody there; transactions, however, run one at a time.
 */
async function applyOne(client: pg.Client, migration: Migration): Promise<boolean> {
  const id = randomUUID();
  await client.query('BEGIN');
  try {
    const { rowCount } = await client.query(
      'SELECT 1 FROM _prisma_migrations WHERE migration_name = $1 AND rolled_back_at IS NULL',
      [migration.name],
    );
    if (rowCount) {
      await client.query('ROLLBACK');
      return false;
    }
    await client.query(
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES ($1, $2, $3, clock_timestamp(), 0)`,
      [id, checksum(migration.script), migration.name],
    );
    await client.query(migration.script);
    await client.query(
      'UPDATE _prisma_migrations SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1',
      [id],
    );
    await client.query('COMMIT');
    return true;
  } catch (error) {
    // A broken connection fails the ROLLBACK too (and rolls back anyway); report the cause.
    await client.query('ROLLBACK').catch(() => {});
    // Nothing of it remains, so unlike Prisma no failed row is kept: that row would block every
    // later run until someone resolved it with the CLI, which cannot run here.
    throw new Error(`Migration ${migration.name} failed and was rolled back: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function checksum(script: string): string {
  return createHash('sha256').update(script).digest('hex');
}

// Like Prisma: a checkout that converted line endings still matches.
function matchesChecksum(script: string, recorded: string): boolean {
  return [script, script.replace(/\r\n/g, '\n'), script.replace(/\n/g, '\r\n')].some(
    (variant) => checksum(variant) === recorded,
  );
}
