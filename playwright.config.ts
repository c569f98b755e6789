import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { ONE_ADDRESS_LIMITS } from './e2e/support/one-address';
import { STUB_ORIGIN, STUB_PORT } from './e2e/support/stub';

// E2E_APP_PORT / E2E_STUB_PORT let two runs share a machine (e.g. two work trees).
const APP_PORT = Number(process.env.E2E_APP_PORT) || 3100;
const APP_ORIGIN = `http://127.0.0.1:${APP_PORT}`;

/**
 * E2E_STUB_ONLY=1 starts only the stub model and runs only specs tagged @stub: a way to check
 * this config, the browser and the stub on a machine where the app cannot be built or started.
 */
const stubOnly = process.env.E2E_STUB_ONLY === '1';

// Playwright loads this file again in each worker; workers inherit the runner's environment,
// so storing the directory there keeps a single fresh data dir per run (E2E_DATA_DIR pins it).
const dataDir = (process.env.E2E_DATA_DIR ||= mkdtempSync(path.join(tmpdir(), 'glimpse-e2e-')));

export default defineConfig({
  testDir: 'e2e',
  // One worker: the machine has two cores, and the app plus the browser already use both.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  grep: stubOnly ? /@stub/ : undefined,
  reporter: [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: APP_ORIGIN,
    testIdAttribute: 'data-testid',
    screenshot: 'on',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        // Playwright's own browser download is unavailable here; Debian's chromium is used instead.
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-dev-shm-usage',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
  ],
  webServer: [
    {
      name: 'stub-model',
      // Captions take a moment, as with a real model, so specs can watch a video's progress.
      // STUB_DIALECT / STUB_TRANSCRIPTION_DIALECT make the stub answer as a given real server (e2e/stub-model/dialects).
      command: `npx tsx e2e/stub-model/server.ts --port ${STUB_PORT} --caption-delay-ms 1200 --dialect ${process.env.STUB_DIALECT ?? 'openai'} --transcription-dialect "${process.env.STUB_TRANSCRIPTION_DIALECT ?? ''}"`,
      url: `${STUB_ORIGIN}/v1/models`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    ...(stubOnly
      ? []
      : [
          {
            name: 'app',
            command: 'npm start',
            url: `${APP_ORIGIN}/api/health`,
            reuseExistingServer: false,
            // First start may migrate an embedded database before it answers.
            timeout: 180_000,
            // Playwright layers this over process.env, so CI's DATABASE_URL reaches the app untouched;
            // without one the app falls back to its embedded database inside DATA_DIR.
            env: {
              PORT: String(APP_PORT),
              OPENAI_COMPATIBLE_BASE_URL: `${STUB_ORIGIN}/v1`,
              OPENAI_COMPATIBLE_MODELS: 'stub-vision,stub-vision-2,stub-broken,stub-thinking',
              // The stub's /v1/audio/transcriptions: segments where its WAV input is loud.
              TRANSCRIPTION_MODEL: 'compatible:stub-whisper',
              DEFAULT_MODEL: 'compatible:stub-vision',
              FALLBACK_MODELS: 'compatible:stub-vision',
              COMPATIBLE_PRICE: '0.2/0.6',
              // Grants nothing by itself: the address is never verified (no mail); AuthPage.signInAsAdmin runs `npm run admin -- grant`.
              ADMIN_EMAILS: 'admin@glimpse.test',
              ...ONE_ADDRESS_LIMITS,
              // scripts/test.ts creates a scratch database on the DATABASE_URL server for this run.
              ...(process.env.E2E_DATABASE_URL ? { DATABASE_URL: process.env.E2E_DATABASE_URL } : {}),
              // Nothing listens on port 9, so an Ollama provider is configured but always unreachable.
              OLLAMA_BASE_URL: 'http://127.0.0.1:9',
              DATA_DIR: dataDir,
              AUTH_SECRET: 'glimpse-e2e-fixed-secret-0123456789abcdef',
              NEXT_TELEMETRY_DISABLED: '1',
            },
          },
        ]),
  ],
});
