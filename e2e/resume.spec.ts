import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { ChatPage } from './pages/chat-page';
import { cuttableHop } from './support/cuttable-hop';
import { resetStub, stubRequests } from './support/stub';

/**
 * `[slow]` makes the stub write about 9 s of answer: time to reload or cut the network in the
 * middle. Each question is new, or the answer cache would reply at once instead of the model.
 */
const slowQuestion = () => `Describe the whole scene slowly [slow] (${randomUUID().slice(0, 8)})`;

test.beforeEach(async () => {
  await resetStub();
});

/** The last answer's text and status read together, so a check cannot mix two moments. */
const answerNow = (page: Page) =>
  page.evaluate(() => {
    const answers = document.querySelectorAll('[data-testid="message-assistant"]');
    const last = answers[answers.length - 1];
    return { status: last?.getAttribute('data-status') ?? null, text: last?.textContent ?? '' };
  });

/** The answer as stored, by reading the conversation again from the server. */
async function storedAnswerText(page: Page, conversationId: string): Promise<string> {
  const res = await page.request.get(`/api/conversations/${conversationId}`);
  const { messages } = (await res.json()) as { messages: { role: string; parts: { type: string; text?: string }[] }[] };
  return messages.at(-1)!.parts.find((p) => p.type === 'text')?.text ?? '';
}

test('a reload mid-answer reattaches: the rest streams into the page and ends complete', async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.open();
  await chat.ask(slowQuestion());
  await expect(chat.lastAnswer()).toContainText('Stub answer to:');
  const id = chat.conversationId();

  const reattached = page.waitForResponse((r) => r.url().endsWith(`/api/chat/${id}/stream`));
  await page.reload();
  expect((await reattached).status()).toBe(200);
  // Live, not read back once stored: the text shows while the answer is still being written.
  await expect.poll(async () => {
    const now = await answerNow(page);
    return now.status === 'streaming' && now.text.includes('Stub answer to:');
  }).toBe(true);
  await page.screenshot({ path: test.info().outputPath('reload-reattached.png') });
  const partial = (await answerNow(page)).text;
  await expect.poll(async () => (await answerNow(page)).text.length).toBeGreaterThan(partial.length);

  await expect(chat.lastAnswer().locator('table')).toBeVisible({ timeout: 30_000 });
  await expect(chat.lastAnswer()).toHaveAttribute('data-status', 'complete');
  await expect(chat.assistantMessages).toHaveCount(1);
  await expect(chat.lastAnswer().getByTestId('message-meta')).toContainText('stub-vision');
  // One model call, not cut short by the reload.
  const calls = (await stubRequests()).filter((r) => r.path === '/v1/chat/completions');
  expect(calls.map((r) => r.clientAborted)).toEqual([false]);
  await expect(chat.lastAnswer()).toContainText((await storedAnswerText(page, id)).split('\n')[0]);
  await page.screenshot({ path: test.info().outputPath('reload-complete.png') });
});

test('a network cut mid-answer shows Reconnecting…, then the answer completes without a reload', async ({ page, context, baseURL }) => {
  const hop = await cuttableHop(baseURL!);
  const chat = new ChatPage(page);
  await chat.open(`${hop.url}/`);
  await chat.ask(slowQuestion());
  await expect(chat.lastAnswer()).toContainText('Stub answer to:');
  // Gone if the page were reloaded.
  await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));

  await context.setOffline(true);
  hop.cut();
  await expect(chat.connectionNotice).toContainText('Reconnecting…');
  await expect(chat.connectionNotice).toHaveAttribute('data-state', 'offline');
  await expect(chat.lastAnswer()).toHaveAttribute('data-status', 'streaming');
  await expect(page.getByTestId('message-error').or(page.getByTestId('chat-error'))).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('network-cut-reconnecting.png') });

  const reattached = page.waitForResponse((r) => r.url().endsWith(`/api/chat/${chat.conversationId()}/stream`));
  await context.setOffline(false);
  // Back online it reattaches at once, to the answer still being written (200, not 204).
  expect((await reattached).status()).toBe(200);
  await expect(chat.connectionNotice).toHaveCount(0);
  await expect(chat.lastAnswer().locator('table')).toBeVisible({ timeout: 30_000 });
  await expect(chat.lastAnswer()).toHaveAttribute('data-status', 'complete');
  await expect(chat.assistantMessages).toHaveCount(1);
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
  await expect(chat.send).toBeVisible();
  const calls = (await stubRequests()).filter((r) => r.path === '/v1/chat/completions');
  expect(calls.map((r) => r.clientAborted)).toEqual([false]);
  await page.screenshot({ path: test.info().outputPath('network-cut-complete.png') });
  await hop.close();
});

test('phone, dark mode: when reattaching keeps failing, Connection lost with a Retry that brings the answer', async ({ browser, baseURL }) => {
  const hop = await cuttableHop(baseURL!);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, colorScheme: 'dark' });
  const page = await context.newPage();
  const chat = new ChatPage(page);
  await chat.open(`${hop.url}/`);
  await chat.ask(slowQuestion());
  await expect(chat.lastAnswer()).toContainText('Stub answer to:');

  // The server cannot hand the answer back: every reattach attempt fails.
  let attempts = 0;
  await page.route('**/api/chat/*/stream', (route) => {
    attempts += 1;
    return route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'internal', message: 'Unavailable' } }) });
  });
  hop.cut();
  await expect(chat.connectionNotice).toHaveAttribute('data-state', 'reconnecting');
  await page.screenshot({ path: test.info().outputPath('phone-dark-reconnecting.png') });
  await expect(chat.connectionNotice).toHaveAttribute('data-state', 'lost', { timeout: 30_000 });
  await expect(chat.connectionNotice).toContainText('Connection lost');
  expect(attempts).toBe(4);
  // Never a raw error, never a frozen message without a way out.
  await expect(page.getByTestId('message-error').or(page.getByTestId('chat-error'))).toHaveCount(0);
  await expect(chat.connectionRetry).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: test.info().outputPath('phone-dark-connection-lost.png') });

  // The answer was finished and stored meanwhile: Retry finds nothing running and reads it back.
  await page.unroute('**/api/chat/*/stream');
  await chat.connectionRetry.focus();
  await page.keyboard.press('Enter');
  await expect(chat.connectionNotice).toHaveCount(0);
  await expect(chat.lastAnswer().locator('table')).toBeVisible({ timeout: 30_000 });
  await expect(chat.lastAnswer()).toHaveAttribute('data-status', 'complete');
  await page.screenshot({ path: test.info().outputPath('phone-dark-after-retry.png') });
  await context.close();
  await hop.close();
});

test('Stop while reconnecting stops the answer and keeps what was written', async ({ page, baseURL }) => {
  const hop = await cuttableHop(baseURL!);
  const chat = new ChatPage(page);
  await chat.open(`${hop.url}/`);
  await chat.ask(slowQuestion());
  await expect(chat.lastAnswer()).toContainText('Stub answer to:');
  await page.route('**/api/chat/*/stream', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"internal","message":"Unavailable"}}' }));
  hop.cut();
  await expect(chat.connectionNotice).toHaveAttribute('data-state', 'reconnecting');

  await chat.stop.click();
  await expect(chat.connectionNotice).toHaveCount(0);
  await expect(chat.lastAnswer()).toContainText('Stopped before the end.');
  await expect(chat.lastAnswer()).toContainText('Stub answer to:');
  await expect(chat.send).toBeVisible();
  // The stub notices the hang-up a moment after the stored answer says stopped.
  await expect
    .poll(async () => (await stubRequests()).filter((r) => r.path === '/v1/chat/completions').map((r) => r.clientAborted), { timeout: 5_000 })
    .toEqual([true]);
  await hop.close();
});
