/**
 * `npm test`: type check, unit/integration tests (vitest) and browser tests (Playwright) in one go.
 * With DATABASE_URL the browser tests get a fresh database on that server, dropped afterwards;
 * without it the app under test runs on its embedded Postgres, as on a newcomer's machine.
 */
import { spawnSync } from 'node:child_process';
import { createScratchDatabase } from '../lib/db/scratch-database.ts';

function run(label: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): boolean {
  console.log(`\n▶ ${label}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  return result.status === 0;
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
    let ok: boolean;
    if (serverUrl) {
      const scratch = await createScratchDatabase(serverUrl, 'glimpse_e2e');
      try {
        ok = e2e({ ...process.env, E2E_DATABASE_URL: scratch.url });
      } finally {
        await scratch.drop();
      }
    } else ok = e2e(process.env);
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
