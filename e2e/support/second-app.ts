import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from '@playwright/test';
import { ONE_ADDRESS_LIMITS } from './one-address';

export interface SecondApp {
  origin: string;
  stop(): Promise<void>;
}

/**
 * Another instance of the app on its own port, data dir and environment (no model, tiny quotas…),
 * reusing the main instance's build. `env` values of undefined remove a variable.
 */
export async function startSecondApp(port: number, env: Record<string, string | undefined>): Promise<SecondApp> {
  const origin = `http://127.0.0.1:${port}`;
  // Something already answering there (left over from an interrupted run) would be tested instead.
  if (await fetch(`${origin}/api/health`).catch(() => null)) throw new Error(`port ${port} is already in use`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `glimpse-app-${port}-`));
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...ONE_ADDRESS_LIMITS, PORT: String(port), DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: '1' };
  delete childEnv.DATABASE_URL;
  if (process.env.E2E_DATABASE_URL) childEnv.DATABASE_URL = process.env.E2E_DATABASE_URL;
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[name];
    else childEnv[name] = value;
  }
  // Its own process group, so the whole tree (npx → tsx → serve.ts → next) can be stopped at once.
  const app = spawn('npx', ['tsx', 'scripts/serve.ts'], { env: childEnv, stdio: 'ignore', detached: true });
  await expect.poll(async () => (await fetch(`${origin}/api/health`).catch(() => null))?.status ?? 0, { timeout: 90_000 }).toBe(200);

  const groupAlive = () => {
    try {
      process.kill(-app.pid!, 0);
      return true;
    } catch {
      return false;
    }
  };
  return {
    origin,
    async stop() {
      // serve.ts stops its embedded database after next exits: wait until none of the group is left.
      if (groupAlive()) process.kill(-app.pid!, 'SIGTERM');
      await expect.poll(groupAlive, { timeout: 30_000 }).toBe(false);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
