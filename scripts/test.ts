/**
 * `npm test`: type check, unit/integration tests (vitest) and browser tests (Playwright) in one go.
 * With DATABASE_URL the browser tests get a fresh database on that server, dropped afterwards;
 * without it the app under test runs on its embedded Postgres, as on a newcomer's machine.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

function run(label: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): boolean {
  console.log(`\n▶ ${label}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  return result.status === 0;
}

async function withScratchDatabase<T>(serverUrl: string, use: (url: string) => Promise<T>): Promise<T> {
  const name = `glimpse_e2e_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return await use(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function main() {
  const only = process.argv[2];
  const results: [string, boolean][] = [];
  if (!only || only === 'unit') {
    results.push(['typecheck', run('typecheck', 'npx', ['tsc', '--noEmit'])]);
    results.push(['vitest', run('unit and integration tests', 'npx', ['vitest', 'run'])]);
  }
  if (!only || only === 'e2e') {
    const e2e = (env: NodeJS.ProcessEnv) => run('browser tests', 'npx', ['playwright', 'test'], env);
    const serverUrl = process.env.DATABASE_URL;
    const ok = serverUrl
      ? await withScratchDatabase(serverUrl, async (url) => e2e({ ...process.env, E2E_DATABASE_URL: url }))
      : e2e(process.env);
    results.push(['playwright', ok]);
  }
  console.log('\nSummary:');
  for (const [name, ok] of results) console.log(`  ${ok ? '✔' : '✘'} ${name}`);
  process.exit(results.every(([, ok]) => ok) ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
