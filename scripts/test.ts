/**
 * `npm test`: type check, unit/integration tests (vitest) and browser tests (Playwright) in one go.
 * With DATABASE_URL the browser tests get a fresh database on that server, dropped afterwards;
 * without it the app under test runs on its embedded Postgres, as on a newcomer's machine.
 */
import { spawnSync } from 'node:child_process';
import { createScratchDatabase } from '../lib/db/scratch-database.ts';

const DIALECT_SPECS = ['e2e/chat.spec.ts', 'e2e/compare.spec.ts', 'e2e/video.spec.ts', 'e2e/audio.spec.ts'];
/** One chat server and one transcription server each, so every transcription dialect is met too. */
const DIALECT_RUNS = [
  { dialect: 'vllm', transcription: 'vllm' },
  { dialect: 'ollama', transcription: 'whispercpp' },
  { dialect: 'llamacpp', transcription: 'speaches' },
];

/** One Playwright run, on a scratch database of its own when DATABASE_URL names a server (else a fresh embedded one). */
async function e2e(label: string, specs: string[], env: NodeJS.ProcessEnv): Promise<boolean> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return run(label, 'npx', ['playwright', 'test', ...specs], env);
  const scratch = await createScratchDatabase(serverUrl, 'glimpse_e2e');
  try {
    return run(label, 'npx', ['playwright', 'test', ...specs], { ...env, E2E_DATABASE_URL: scratch.url });
  } finally {
    await scratch.drop();
  }
}

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
    results.push(['playwright', await e2e('browser tests', [], process.env)]);
    // The model-facing specs again against stubs that answer as real servers do (e2e/stub-model/dialects).
    for (const { dialect, transcription } of DIALECT_RUNS) {
      const label = `playwright (${dialect} + ${transcription})`;
      // An empty E2E_DATA_DIR gives each run a fresh embedded database, as the main run has.
      const env = { ...process.env, STUB_DIALECT: dialect, STUB_TRANSCRIPTION_DIALECT: transcription, E2E_DATA_DIR: '' };
      results.push([label, await e2e(label, DIALECT_SPECS, env)]);
    }
  }
  console.log('\nSummary:');
  for (const [name, ok] of results) console.log(`  ${ok ? '✔' : '✘'} ${name}`);
  process.exit(results.every(([, ok]) => ok) ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
