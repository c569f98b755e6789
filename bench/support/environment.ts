import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface BenchEnvironment {
  dataDir: string;
  /** For the report: which database the figures were measured on. */
  backend: string;
  stop(): Promise<void>;
}

/**
 * A migrated database of its own (a scratch database on the DATABASE_URL server, else embedded
 * Postgres) and a temp DATA_DIR, with `env` set on top; stop() puts the environment back, so
 * benchmarks run one after another in one process do not see each other's.
 */
export async function benchEnvironment(env: Record<string, string>): Promise<BenchEnvironment> {
  const saved = { ...process.env };
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-bench-'));
  const serverUrl = process.env.DATABASE_URL;
  const { startEmbeddedPostgres } = await import('@/lib/db/embedded');
  const { createScratchDatabase } = await import('@/lib/db/scratch-database');
  const { applyMigrations } = await import('@/lib/db/migrate');
  const scratch = serverUrl ? await createScratchDatabase(serverUrl, 'glimpse_bench') : null;
  const embedded = scratch ? null : await startEmbeddedPostgres(path.join(dataDir, 'postgres'));
  const databaseUrl = scratch?.url ?? embedded!.url;
  await applyMigrations(databaseUrl);
  Object.assign(process.env, { DATABASE_URL: databaseUrl, DATA_DIR: dataDir, OLLAMA_BASE_URL: 'http://127.0.0.1:9', ...env });

  return {
    dataDir,
    backend: scratch ? 'PostgreSQL server (DATABASE_URL)' : 'embedded Postgres (PGlite)',
    async stop() {
      const { db } = await import('@/lib/db/client');
      const { stopJobQueue } = await import('@/lib/jobs/boss');
      await stopJobQueue();
      await db().$disconnect();
      process.env = saved;
      await embedded?.stop();
      await scratch?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
