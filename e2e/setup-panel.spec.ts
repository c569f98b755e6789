import { expect, test } from '@playwright/test';
import { startSecondApp, type SecondApp } from './support/second-app';

/**
 * A second instance of the app with no model configured at all: it must still open and say how
 * to set one up. It reuses the build the main instance made.
 */
let app: SecondApp;

test.beforeAll(async () => {
  app = await startSecondApp(3101, {
    OLLAMA_BASE_URL: 'http://127.0.0.1:9',
    OPENAI_API_KEY: undefined,
    OPENAI_COMPATIBLE_BASE_URL: undefined,
    OPENAI_COMPATIBLE_MODELS: undefined,
    DEFAULT_MODEL: undefined,
  });
});

test.afterAll(async () => {
  await app.stop();
});

test('with no model configured the app opens and explains the setup', async ({ page }) => {
  const health = await (await fetch(`${app.origin}/api/health`)).json();
  expect(health).toMatchObject({ status: 'ok', database: 'ok', models: { available: 0, default: null } });

  await page.goto(`${app.origin}/`);
  const panel = page.getByTestId('setup-panel');
  await expect(panel).toBeVisible();
  for (const variable of ['OPENAI_API_KEY', 'OPENAI_COMPATIBLE_BASE_URL', 'OPENAI_COMPATIBLE_MODELS', 'OLLAMA_BASE_URL']) {
    await expect(panel).toContainText(variable);
  }
  await expect(panel).toContainText(/Ollama.*picked up automatically/);
  await page.screenshot({ path: test.info().outputPath('setup-panel.png') });

  const res = await page.request.post(`${app.origin}/api/chat`, {
    data: { trigger: 'submit-message', id: crypto.randomUUID(), modelId: 'openai:gpt-4o', message: { parts: [{ type: 'text', text: 'hi' }] } },
  });
  expect(res.status()).toBe(503);
  expect((await res.json()).error.message).toMatch(/No model is configured/);

  // Without a transcription model a recording is refused before anything is stored, and says why.
  const recording = await page.request.put(`${app.origin}/api/uploads/audio?filename=memo.wav`, { data: Buffer.from('RIFF....WAVEfmt '), headers: { 'content-type': 'audio/wav' } });
  expect(recording.status()).toBe(503);
  expect((await recording.json()).error.message).toMatch(/^Transcription is not set up on this server \(no TRANSCRIPTION_MODEL\)/);
});
