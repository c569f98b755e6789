/**
 * Gives the whole run one migrated, empty database. With DATABASE_URL (CI: the machine's server)
 * it is a new database on that server, dropped afterwards; without, an embedded Postgres in a
 * temporary directory. Tests get it with `inject('database')` (see tests/support/db.ts); code
 * under test that reads process.env.DATABASE_URL gets it too, as workers start after this runs
 * and inherit the environment.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../lib/db/embedded';
import { applyMigrations } from '../../lib/db/migrate';
import { createScratchDatabase } from '../../lib/db/scratch-database';

export interface TestDatabase {
  url: string;
  /** The embedded server: one backend for everyone, so keep pools small. */
  embedded: boolean;
  /** A server on which tests may create databases of their own; null when embedded. */
  serverUrl: string | null;
}

declare module 'vitest' {
  export interface ProvidedContext {
    database: TestDatabase;
  }
}

export default async function setup(project: TestProject) {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const scratch = await createScratchDatabase(serverUrl, 'glimpse_test');
    await applyMigrations(scratch.url);
    process.env.DATABASE_URL = scratch.url;
    project.provide('database', { url: scratch.url, embedded: false, serverUrl });
    return async () => {
      process.env.DATABASE_URL = serverUrl;
      await scratch.drop();
    };
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-test-db-'));
  const embedded = await startEmbeddedPostgres(dir);
  await applyMigrations(embedded.url);
  process.env.DATABASE_URL = embedded.url;
  project.provide('database', { url: embedded.url, embedded: true, serverUrl: null });
  return async () => {
    delete process.env.DATABASE_URL;
    await embedded.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
