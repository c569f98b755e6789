import { expect, test } from '@playwright/test';
import { photoWithGps } from '../tests/support/images';
import { ChatPage } from './pages/chat-page';
import { resetStub, stubRequests } from './support/stub';

test.beforeEach(async () => {
  await resetStub();
});

test('upload a photo, watch the answer stream in, reload and find it again', async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.open();
  await expect(page.getByTestId('empty-state')).toBeVisible();

  await chat.attach({ name: 'holiday.jpg', mimeType: 'image/jpeg', buffer: await photoWithGps(1600, 1200, '#d55a3a') });
  await chat.waitForUploads();
  // The stub model has a Qwen-style pixel budget: 1600×1200 → 1148×840 → 41×30 patches + 2 = 1,232 tokens,
  // at $0.2 per million input tokens (COMPATIBLE_PRICE in playwright.config.ts).
  await expect(page.getByTestId('attachment-tokens')).toHaveText('1600×1200 · ≈1,232 tok · $0.00025');
  await expect(page.getByTestId('composer-estimate')).toHaveText('1 image ≈ 1,232 input tokens ($0.00025)');

  await chat.ask('What is in this photo?');
  await expect(chat.stop).toBeVisible();
  const answer = chat.lastAnswer();
  await expect(answer).toContainText('Stub answer to: "What is in this photo?" (images: 1, model: stub-vision)');
  await chat.waitForAnswerDone();
  // Markdown is rendered, not shown raw.
  await expect(answer.locator('table')).toBeVisible();
  await expect(answer.locator('pre code')).toBeVisible();
  await expect(answer.locator('li').first()).toBeVisible();
  await expect(answer.getByTestId('message-meta')).toContainText(/^stub-vision · [\d,]+ in · [\d,]+ out · \$0\.\d+ · [\d.]+ (ms|s)$/);
  await expect(answer.getByTestId('cached-badge')).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('answered.png') });

  const id = chat.conversationId();
  await expect(chat.conversations.first()).toContainText('What is in this photo?');

  // What the model received: one resized, re-encoded image with no EXIF (GPS stripped).
  const [request] = (await stubRequests()).filter((r) => r.path.endsWith('/chat/completions'));
  expect(request.model).toBe('stub-vision');
  expect(request.images).toHaveLength(1);
  expect(request.images[0]).toMatchObject({ mediaType: 'image/jpeg', hasExif: false });
  expect(request.images[0].width! * request.images[0].height!).toBeLessThanOrEqual(1280 * 28 * 28);
  expect(request.images[0].width! % 28).toBe(0);

  await page.reload();
  await expect(page).toHaveURL(new RegExp(`/c/${id}$`));
  await expect(chat.userMessages).toHaveCount(1);
  await expect(chat.userMessages.getByTestId('message-image')).toBeVisible();
  await expect(chat.lastAnswer()).toContainText('Stub answer to: "What is in this photo?"');
  await expect(chat.lastAnswer().getByTestId('message-meta')).toContainText('stub-vision');
  await page.screenshot({ path: test.info().outputPath('reloaded.png') });
});

test('the same image and question again is answered from the cache without calling the model', async ({ page }) => {
  const chat = new ChatPage(page);
  const photo = await photoWithGps(1200, 900, '#2f9e44');

  await chat.open();
  await chat.attach({ name: 'plant.jpg', mimeType: 'image/jpeg', buffer: photo });
  await chat.waitForUploads();
  await chat.ask('Is this plant healthy?');
  await chat.waitForAnswerDone();
  const callsAfterFirst = (await stubRequests()).length;
  expect(callsAfterFirst).toBe(1);

  // A new conversation, the same bytes under another name, the same question.
  await page.getByTestId('new-chat').click();
  await expect(page.getByTestId('empty-state')).toBeVisible();
  await chat.attach({ name: 'same-plant-renamed.jpg', mimeType: 'image/jpeg', buffer: photo });
  await chat.waitForUploads();
  await chat.ask('Is this plant healthy?');
  await chat.waitForAnswerDone();

  await expect(chat.lastAnswer()).toContainText('Stub answer to: "Is this plant healthy?" (images: 1, model: stub-vision)');
  await expect(chat.lastAnswer().getByTestId('cached-badge')).toBeVisible();
  expect(await stubRequests()).toHaveLength(callsAfterFirst);

  // Regenerate deliberately skips the cache.
  await chat.lastAnswer().getByTestId('regenerate-button').click();
  await chat.waitForAnswerDone();
  await expect(chat.lastAnswer().getByTestId('cached-badge')).toHaveCount(0);
  expect(await stubRequests()).toHaveLength(callsAfterFirst + 1);
});

test('a follow-up question carries the conversation and its image', async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.open();
  await chat.attach({ name: 'street.jpg', mimeType: 'image/jpeg', buffer: await photoWithGps(800, 600, '#555555') });
  await chat.waitForUploads();
  await chat.ask('Describe the street.');
  await chat.waitForAnswerDone();
  await chat.ask('And the weather?');
  await chat.waitForAnswerDone();
  await expect(chat.lastAnswer()).toContainText('Stub answer to: "And the weather?" (images: 1, model: stub-vision)');
  const last = (await stubRequests()).at(-1)!;
  const roles = (last.body as { messages: { role: string }[] }).messages.map((m) => m.role);
  expect(roles).toEqual(['system', 'user', 'assistant', 'user']);
});

test('images in an answer are never fetched, so model output cannot leak the conversation', async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.open();
  await chat.ask('Show me a picture [image]');
  await chat.waitForAnswerDone();
  await expect(chat.lastAnswer().getByTestId('blocked-image')).toContainText('/__pixel?leak=1');
  await expect(chat.lastAnswer().locator('img')).toHaveCount(0);
  expect((await stubRequests()).filter((r) => r.path === '/__pixel')).toEqual([]);
});
