/**
 * `npm start` / `npm run dev`: the app on embedded defaults. Without DATABASE_URL it starts an
 * embedded Postgres under DATA_DIR; either way it applies migrations, builds when the sources are
 * newer than the last build, and runs Next with this process as the database's owner.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { dataDir, embeddedUrlFile } from '../lib/config.ts';
import { startEmbeddedPostgres } from '../lib/db/embedded.ts';
import { applyMigrations } from '../lib/db/migrate.ts';
import { makeDataDirPrivate } from '../lib/storage/private-data-dir.ts';

const dev = process.argv.includes('--dev');
const nextBin = path.resolve('node_modules/next/dist/bin/next');
const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };

function newestSourceMtime(dirs: string[]): number {
  let newest = 0;
  const walk = (entry: string) => {
    const stat = fs.statSync(entry, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      if (/(node_modules|\.next|generated)$/.test(entry)) return;
      for (const child of fs.readdirSync(entry)) walk(path.join(entry, child));
    } else newest = Math.max(newest, stat.mtimeMs);
  };
  dirs.forEach(walk);
  return newest;
}

function buildIsCurrent(): boolean {
  const buildId = fs.statSync('.next/BUILD_ID', { throwIfNoEntry: false });
  if (!buildId) return false;
  const sources = ['app', 'components', 'lib', 'public', 'prisma', 'proxy.ts', 'instrumentation.ts', 'next.config.ts', 'tsconfig.json', 'package-lock.json', 'postcss.config.mjs'];
  return newestSourceMtime(sources) < buildId.mtimeMs;
}

async function main() {
  // Before anything is written there; the app and the build inherit the umask.
  makeDataDirPrivate();
  let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>> | null = null;
  if (!env.DATABASE_URL) {
    const dir = path.join(dataDir(), 'postgres');
    embedded = await startEmbeddedPostgres(dir, { port: Number(env.EMBEDDED_DB_PORT) || undefined });
    env.DATABASE_URL = embedded.url;
    // `npm run worker` and `npm run admin` on this machine find the embedded database here (its
    // URL holds the password: the file is this user's alone).
    fs.writeFileSync(embeddedUrlFile(), embedded.url, { mode: 0o600 });
    console.log(`glimpse: embedded Postgres in ${dir} (set DATABASE_URL to use a server)`);
  }
  const { applied } = await applyMigrations(env.DATABASE_URL);
  console.log(applied.length ? `glimpse: applied migrations ${applied.join(', ')}` : 'glimpse: database schema is up to date');

  if (!dev && !buildIsCurrent()) {
    console.log('glimpse: building the app (first start or sources changed)…');
    const build = spawnSync(process.execPath, [nextBin, 'build'], { env, stdio: 'inherit' });
    if (build.status !== 0) {
      await embedded?.stop();
      process.exit(build.status ?? 1);
    }
  }

  const port = env.PORT || '3000';
  // Our server in front of Next's handler, not `next start`: it decides which forwarding headers to believe.
  const args = ['--import', 'tsx', 'scripts/app-server.ts', ...(dev ? ['--dev'] : []), '--port', port, ...(env.HOSTNAME ? ['--hostname', env.HOSTNAME] : [])];
  const next = spawn(process.execPath, args, { env: { ...env, NODE_ENV: dev ? 'development' : 'production' }, stdio: 'inherit' });
  console.log(`glimpse: http://localhost:${port}`);

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    next.kill(signal);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  next.on('exit', async (code) => {
    if (embedded) fs.rmSync(embeddedUrlFile(), { force: true });
    await embedded?.stop();
    process.exit(code ?? 0);
  });
}

main().catch((error) => {
  console.error('glimpse: could not start:', error);
  process.exit(1);
});
