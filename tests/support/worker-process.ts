import { spawn, type ChildProcess } from 'node:child_process';

/**
 * `npm run worker` as its own process, pointed at `dataDir` and the stub model at `stubUrl`, with
 * the shortest liveness settings pg-boss allows, so a test that kills it waits seconds, not minutes.
 * Give it `WORKER_QUEUES`: test files share the database, and a worker taking another file's jobs
 * would answer them from its own stub.
 */
export function startWorkerProcess(dataDir: string, stubUrl: string, env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      OPENAI_COMPATIBLE_BASE_URL: stubUrl,
      OPENAI_COMPATIBLE_MODELS: 'stub-vision',
      OPENAI_COMPATIBLE_API_KEY: 'unused',
      OLLAMA_BASE_URL: 'http://127.0.0.1:9',
      JOB_HEARTBEAT_SECONDS: '10',
      JOB_SUPERVISE_SECONDS: '1',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}
