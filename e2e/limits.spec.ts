import { expect, test } from '@playwright/test';
import { formatBytes } from '../lib/errors';
import { noisy } from '../tests/support/images';
import { ChatPage } from './pages/chat-page';
import { startSecondApp, type SecondApp } from './support/second-app';
import { STUB_ORIGIN } from './support/stub';

/**
 * A second instance of the app with tiny quotas and rate limits, so a test can run into them
 * without sending hundreds of requests. It reuses the build the main instance made.
 */
const PORT = 3102;
const MESSAGES_PER_DAY = 2;
const CHAT_REQUESTS_PER_MINUTE = 4;
let app: SecondApp;
let ORIGIN: string;
// Three different images; the day's upload quota fits exactly the first two.
let images: Buffer[];
let uploadBytesPerDay: number;

test.beforeAll(async () => {
  images = await Promise.all([120, 121, 122].map((size) => noisy(size, size).png().toBuffer()));
  uploadBytesPerDay = images[0].length + images[1].length;
  app = await startSecondApp(PORT, {
    // The stub model, as playwright.config.ts gives the main instance.
    OPENAI_COMPATIBLE_BASE_URL: `${STUB_ORIGIN}/v1`,
    OPENAI_COMPATIBLE_MODELS: 'stub-vision,stub-vision-2,stub-broken',
    DEFAULT_MODEL: 'compatible:stub-vision',
    FALLBACK_MODELS: 'compatible:stub-vision',
    COMPATIBLE_PRICE: '0.2/0.6',
    OLLAMA_BASE_URL: 'http://127.0.0.1:9',
    OPENAI_API_KEY: undefined,
    QUOTA_GUEST_MESSAGES_PER_DAY: String(MESSAGES_PER_DAY),
    QUOTA_GUEST_UPLOAD_BYTES_PER_DAY: String(uploadBytesPerDay),
    RATE_LIMIT_CHAT_PER_MINUTE: String(CHAT_REQUESTS_PER_MINUTE),
  });
  ORIGIN = app.origin;
});

test.afterAll(async () => {
  await app.stop();
});

test('past the daily messages, the question comes back to the composer with the quota', async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.open(`${ORIGIN}/`);
  for (let i = 1; i <= MESSAGES_PER_DAY; i++) {
    await chat.ask(`Question ${i}`);
    await expect(chat.lastAnswer()).toContainText(`Stub answer to: "Question ${i}"`);
    await chat.waitForAnswerDone();
  }

  await chat.ask('One question too many');
  const notice = page.getByTestId('composer-notice');
  await expect(notice).toHaveText(
    'You have sent 2 messages today; the limit for guests is 2 per day. Sign up for more, or try again after midnight UTC.',
  );
  await expect(chat.input).toHaveValue('One question too many');
  await expect(chat.userMessages).toHaveCount(MESSAGES_PER_DAY);
  await expect(chat.assistantMessages).toHaveCount(MESSAGES_PER_DAY);
  await page.screenshot({ path: test.info().outputPath('message-quota.png') });

  // The route says the same, and when the quota renews.
  const res = await page.request.post(`${ORIGIN}/api/chat`, {
    data: { trigger: 'submit-message', id: crypto.randomUUID(), modelId: 'compatible:stub-vision', message: { parts: [{ type: 'text', text: 'hi' }] } },
  });
  expect(res.status()).toBe(429);
  expect((await res.json()).error).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/^You have sent 2 messages today/) });
  const retryAfter = Number(res.headers()['retry-after']);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(86_400);
});

test('an upload past the daily bytes is refused on its chip, stating usage and limit', async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.open(`${ORIGIN}/`);
  for (const [i, buffer] of images.slice(0, 2).entries()) {
    await chat.attach({ name: `noise-${i}.png`, mimeType: 'image/png', buffer });
    await chat.waitForUploads();
  }
  await expect(chat.attachments.and(page.locator('[data-state="ready"]'))).toHaveCount(2);

  await chat.attach({ name: 'noise-2.png', mimeType: 'image/png', buffer: images[2] });
  const error = page.getByTestId('attachment-error');
  await expect(error).toHaveText(
    `You have uploaded ${formatBytes(uploadBytesPerDay)} today and this file is ${formatBytes(images[2].length)}; ` +
      `the limit for guests is ${formatBytes(uploadBytesPerDay)} per day. Sign up for more, or try again after midnight UTC.`,
  );
  await expect(chat.attachments.and(page.locator('[data-state="error"]'))).toHaveCount(1);
  await page.screenshot({ path: test.info().outputPath('upload-quota.png') });
});

test('too many chat requests in a minute get a 429 with Retry-After', async ({ page }) => {
  await page.goto(`${ORIGIN}/`);
  // Retrying an answer in a conversation that does not exist is refused, but still counts.
  const retry = () =>
    page.request.post(`${ORIGIN}/api/chat`, { data: { trigger: 'regenerate-message', id: crypto.randomUUID(), modelId: 'compatible:stub-vision' } });
  for (let i = 0; i < CHAT_REQUESTS_PER_MINUTE; i++) expect((await retry()).status()).toBe(404);
  const res = await retry();
  expect(res.status()).toBe(429);
  const retryAfter = Number(res.headers()['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect((await res.json()).error).toEqual({
    code: 'rate_limited',
    message: `Too many requests: at most ${CHAT_REQUESTS_PER_MINUTE} chat requests a minute. Try again in ${retryAfter} s.`,
  });
});
