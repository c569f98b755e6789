/**
 * `npm run migrate`: apply pending migrations to $DATABASE_URL (what `prisma migrate deploy` does).
 * `npm run migrate:create -- <name>`: write a new migration from the difference between
 * prisma/migrations and prisma/schema.prisma (what `prisma migrate dev` writes; review it, then
 * apply it). The migrations are replayed in scratch databases on $DATABASE_URL's server, or
 * without DATABASE_URL in throwaway embedded Postgres instances; the database DATABASE_URL names
 * is not touched.
 *
 * Both work offline: no Prisma engine download is involved.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createMigration } from '../lib/db/create-migration.ts';
import { startEmbeddedPostgres } from '../lib/db/embedded.ts';
import { applyMigrations } from '../lib/db/migrate.ts';
import type { EngineDatabases } from '../lib/db/schema-engine.ts';
import { createScratchDatabase } from '../lib/db/scratch-database.ts';

async function withScratch<T>(fn: (scratch: EngineDatabases) => Promise<T>): Promise<T> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const [main, shadow] = await Promise.all([
      createScratchDatabase(serverUrl, 'glimpse_migrate'),
      createScratchDatabase(serverUrl, 'prisma_migrate_shadow_db'),
    ]);
    try {
      return await fn({ url: main.url, shadowUrl: shadow.url });
    } finally {
      await Promise.all([main.drop(), shadow.drop()]);
    }
  }
  // An embedded server serves a single database, so each role gets its own.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-migrate-'));
  const [main, shadow] = await Promise.all(['main', 'shadow'].map((name) => startEmbeddedPostgres(path.join(dir, name))));
  try {
    return await fn({ url: main.url, shadowUrl: shadow.url });
  } finally {
    await Promise.all([main.stop(), shadow.stop()]);
    await rm(dir, { recursive: true, force: true });
  }
}

async function create(name: string | undefined) {
  if (!name) throw new Error('Usage: tsx scripts/migrate.ts create <name>');
  const started = performance.now();
  const created = await withScratch((scratch) => createMigration({ scratch, name }));
  const took = `${Math.round(performance.now() - started)} ms`;
  if (!created) console.log(`No schema changes: prisma/migrations already matches the schema (${took}).`);
  else console.log(`Created ${path.relative(process.cwd(), created.file)} (${took}). Review it before committing.`);
}

async function apply() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('Set DATABASE_URL to the database to migrate.');
  const started = performance.now();
  const { applied } = await applyMigrations(url);
  const took = `${Math.round(performance.now() - started)} ms`;
  if (!applied.length) console.log(`Nothing to apply: the database is up to date (${took}).`);
  else console.log(`Applied ${applied.length} migration(s) in ${took}:\n${applied.map((name) => `  ${name}`).join('\n')}`);
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'create') return create(rest.join(' ') || undefined);
  if (command) throw new Error(`Unknown command "${command}": use no argument, or "create <name>"`);
  return apply();
}

main().catch((error: Error) => {
  console.error(`migrate: ${error.message}`);
  process.exit(1);
});
