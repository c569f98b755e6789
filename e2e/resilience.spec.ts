import { expect, test } from '@playwright/test';
import { ChatPage } from './pages/chat-page';
import { resetStub, stubRequests } from './support/stub';

test.beforeEach(async () => {
  await resetStub();
});

test('a model error shows in the conversation with a retry that works', async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.open();
  // Three 429s exhaust the per-model retries; the fourth request (the retry) succeeds.
  await chat.ask('Count the birds [fail:429x3]');
  const error = page.getByTestId('message-error').or(page.getByTestId('chat-error'));
  await expect(error).toContainText(/rate-limited/i, { timeout: 20_000 });
  expect((await stubRequests()).map((r) => r.status)).toEqual([429, 429, 429]);
  await page.screenshot({ path: test.info().outputPath('model-error.png') });

  await page.getByTestId('retry-button').click();
  await expect(chat.lastAnswer()).toContainText('Stub answer to: "Count the birds [fail:429x3]"');
  await chat.waitForAnswerDone();
  await expect(error).toHaveCount(0);

  await page.reload();
  await expect(chat.assistantMessages).toHaveCount(1);
  await expect(chat.lastAnswer()).toContainText('Stub answer to: "Count the birds');
});

test('a failed answer is stored with its error and can be retried after a reload', async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.open();
  await chat.ask('Will this work? [fail:500]');
  await expect(page.getByTestId('message-error').or(page.getByTestId('chat-error'))).toContainText('HTTP 500');
  await page.reload();
  await expect(page.getByTestId('message-error')).toContainText('The model server failed (HTTP 500)');
  await expect(page.getByTestId('retry-button')).toBeVisible();
});

test('a transient 429 is retried with backoff and the person never sees it', async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.open();
  await chat.ask('Quick one [fail:429x2]');
  await expect(chat.lastAnswer()).toContainText('Stub answer to: "Quick one [fail:429x2]"');
  expect((await stubRequests()).map((r) => r.status)).toEqual([429, 429, 200]);
});

test('the fallback model answers when the chosen one fails before streaming', async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.open();
  await chat.modelPicker.selectOption('compatible:stub-broken');
  await chat.ask('Which model are you?');
  await expect(chat.lastAnswer()).toContainText('(images: 0, model: stub-vision)');
  await chat.waitForAnswerDone();
  await expect(chat.lastAnswer().getByTestId('message-meta')).toContainText('stub-vision');
});

test('stop keeps what was written so far', async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.open();
  await chat.ask('Tell me everything [slow]');
  await expect(chat.lastAnswer()).toContainText('Stub answer to:');
  await chat.stop.click();
  await expect(chat.send).toBeVisible();
  await page.reload();
  await expect(chat.lastAnswer()).toContainText('Stub answer to:');
  await expect(chat.lastAnswer()).toContainText('Stopped before the end.');
  await expect(chat.lastAnswer().locator('table')).toHaveCount(0);
});

test('closing the page mid-answer loses nothing: the full answer is there on return', async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.open();
  await chat.ask('Write slowly please [slow]');
  await expect(chat.lastAnswer()).toContainText('Stub answer to:');
  const id = chat.conversationId();
  await page.goto('about:blank');

  await chat.open(`/c/${id}`);
  // Still being written, or already done: either way the complete answer appears.
  await expect(chat.lastAnswer().locator('table')).toBeVisible({ timeout: 30_000 });
  await expect(chat.lastAnswer()).toHaveAttribute('data-status', 'complete');
  const [request] = await stubRequests();
  expect(request.clientAborted).toBe(false);
});
