import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';

/**
 * A second instance of the app with no model configured at all: it must still open and say how
 * to set one up. It reuses the build the main instance made.
 */
const PORT = 3101;
let app: ChildProcess;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-nomodel-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(PORT), DATA_DIR: dataDir, OLLAMA_BASE_URL: 'http://127.0.0.1:9', NEXT_TELEMETRY_DISABLED: '1' };
  for (const name of ['OPENAI_API_KEY', 'OPENAI_COMPATIBLE_BASE_URL', 'OPENAI_COMPATIBLE_MODELS', 'DEFAULT_MODEL', 'DATABASE_URL']) delete env[name];
  if (process.env.E2E_DATABASE_URL) env.DATABASE_URL = process.env.E2E_DATABASE_URL;
  app = spawn('npx', ['tsx', 'scripts/serve.ts'], { env, stdio: 'ignore' });
  await expect
    .poll(async () => (await fetch(`http://127.0.0.1:${PORT}/api/health`).catch(() => null))?.status ?? 0, { timeout: 90_000 })
    .toBe(200);
});

test.afterAll(async () => {
  app.kill('SIGTERM');
  await new Promise((resolve) => app.once('exit', resolve));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('with no model configured the app opens and explains the setup', async ({ page }) => {
  const health = await (await fetch(`http://127.0.0.1:${PORT}/api/health`)).json();
  expect(health).toMatchObject({ status: 'ok', database: 'ok', models: { available: 0, default: null } });

  await page.goto(`http://127.0.0.1:${PORT}/`);
  const panel = page.getByTestId('setup-panel');
  await expect(panel).toBeVisible();
  for (const variable of ['OPENAI_API_KEY', 'OPENAI_COMPATIBLE_BASE_URL', 'OPENAI_COMPATIBLE_MODELS', 'OLLAMA_BASE_URL']) {
    await expect(panel).toContainText(variable);
  }
  await expect(panel).toContainText(/Ollama.*picked up automatically/);
  await page.screenshot({ path: test.info().outputPath('setup-panel.png') });

  const res = await page.request.post(`http://127.0.0.1:${PORT}/api/chat`, {
    data: { trigger: 'submit-message', id: crypto.randomUUID(), modelId: 'openai:gpt-4o', message: { parts: [{ type: 'text', text: 'hi' }] } },
  });
  expect(res.status()).toBe(503);
  expect((await res.json()).error.message).toMatch(/No model is configured/);
});
