import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import sharp from 'sharp';
import { errorStatus } from '../lib/errors';
import { readEvents } from '../tests/support/sse';
import { stubAnswer } from './stub-model/server';
import { AuthPage } from './pages/auth-page';
import { SettingsPage } from './pages/settings-page';

/**
 * The HTTP API as a person meets it: a key made in Settings, the README's streaming `curl -N`
 * example run as written (only the server's address and the key filled in, as the README says),
 * its answer in their history, and the docs page on a phone in dark mode.
 */

/** The README's streamed example: the bash block after the sentence that introduces it. */
async function readmeStreamingExample(): Promise<string> {
  const readme = await readFile(path.join(process.cwd(), 'README.md'), 'utf8');
  const block = /A streamed answer about `photo\.jpg`[\s\S]*?```bash\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README.md has no streamed curl example');
  return block[1];
}

/** Runs `script` in bash in `cwd`; what it printed, and when each piece came (ms after the start). */
function run(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number | null; pieces: { at: number; text: string }[]; stderr: string }> {
  return new Promise((resolve) => {
    const startedAt = Date.now();
    const child = spawn('bash', ['-c', script], { cwd, env: { ...process.env, ...env } });
    const pieces: { at: number; text: string }[] = [];
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => pieces.push({ at: Date.now() - startedAt, text }));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('close', (code) => resolve({ code, pieces, stderr }));
  });
}

test('the README’s curl -N example streams an answer with a key made in Settings, and the answer is in the history', async ({ page }) => {
  await new AuthPage(page).signUpOrSignIn(`api-${Date.now()}@example.com`, 'a long enough password');
  const settings = new SettingsPage(page);
  await settings.open();
  const key = await settings.createKey('curl example');

  const dir = await mkdtemp(path.join(tmpdir(), 'glimpse-curl-'));
  const [r, g, b] = [0, 0, 0].map(() => Math.floor(Math.random() * 256));
  await writeFile(path.join(dir, 'photo.jpg'), await sharp({ create: { width: 640, height: 480, channels: 3, background: { r, g, b } } }).jpeg().toBuffer());

  const example = await readmeStreamingExample();
  expect(example).toContain('curl -N');
  const { code, pieces, stderr } = await run(example, dir, { GLIMPSE_URL: test.info().project.use.baseURL!, GLIMPSE_KEY: key });
  // Not a terminal, so curl shows its progress meter on stderr; it says what went wrong if anything did.
  expect(code, stderr).toBe(0);

  const events = readEvents(pieces.map((p) => p.text).join(''));
  expect(events[0].event).toBe('start');
  const deltas = events.filter((e) => e.event === 'delta');
  expect(deltas.length).toBeGreaterThan(5);
  const result = events.at(-1)!;
  const expected = stubAnswer('What is in this picture?', 1, 'stub-vision');
  expect(result).toEqual({
    event: 'result',
    data: { id: expect.any(String), model: 'compatible:stub-vision', result: expected, usage: { input_tokens: expect.any(Number), output_tokens: expect.any(Number), cost_usd: expect.any(Number) }, cached: false },
  });
  expect(deltas.map((d) => (d.data as { text: string }).text).join('')).toBe(expected);
  // Streamed, not buffered: curl printed the answer in many pieces over time.
  expect(pieces.length).toBeGreaterThan(3);
  expect(pieces.at(-1)!.at - pieces[0].at).toBeGreaterThan(100);

  // The question and its answer are a conversation in the key owner's history.
  await page.goto('/');
  await page.getByTestId('conversation-list').getByText('What is in this picture?').click();
  await expect(page).toHaveURL(new RegExp(`/c/${(result.data as { id: string }).id}$`));
  await expect(page.getByText('This reply is streamed word by word.')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('api-answer-in-history.png') });
});

test('the API docs page: every endpoint with its example, readable on a phone in dark mode', async ({ browser, request }) => {
  const openapi = (await (await request.get('/api/v1/openapi.json')).json()) as { paths: Record<string, Record<string, { 'x-codeSamples': { source: string }[] }>> };
  const operations = Object.values(openapi.paths).flatMap((methods) => Object.values(methods));
  // A path that is not an endpoint answers in the API's error shape, not with the app's page.
  const missing = await request.post('/api/v1/analyse/image');
  expect(missing.status()).toBe(404);
  expect((await missing.json()).error.code).toBe('not_found');
  // A method the endpoint does not take: a 405 in the same shape, with Allow.
  const wrongMethod = await request.get('/api/v1/compare');
  expect(wrongMethod.status()).toBe(405);
  expect(wrongMethod.headers()['allow']).toBe('POST');
  expect((await wrongMethod.json()).error).toEqual({ code: 'method_not_allowed', message: '/api/v1/compare does not take GET; it takes POST.' });
  // The README's example is the docs' example for the upload endpoint, word for word.
  expect(`${openapi.paths['/api/v1/analyze/upload'].post['x-codeSamples'][0].source}\n`).toBe(await readmeStreamingExample());

  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, colorScheme: 'dark' });
  const page = await context.newPage();
  await page.goto('/api-docs');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Glimpse HTTP API');
  await expect(page.getByTestId('api-operation')).toHaveCount(operations.length);
  for (const operation of operations) await expect(page.getByText(operation['x-codeSamples'][0].source, { exact: true })).toBeAttached();
  await expect(page.getByTestId('api-error-codes').getByRole('row')).toHaveCount(Object.keys(errorStatus).length);
  // Nothing scrolls sideways but the code samples themselves.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe('rgb(255, 255, 255)');
  await page.getByRole('link', { name: /\/api\/v1\/jobs\/\{id\}\s+A job’s state/ }).click();
  await expect(page.locator('#getJob')).toBeInViewport();
  await page.screenshot({ path: test.info().outputPath('api-docs-phone-dark.png') });
  await page.goto('/api-docs#analyzeImage');
  await page.screenshot({ path: test.info().outputPath('api-docs-phone-dark-analyze.png'), fullPage: false });
  await context.close();
});
