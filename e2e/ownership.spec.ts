import { expect, test } from '@playwright/test';
import { photoWithGps } from '../tests/support/images';
import { ChatPage } from './pages/chat-page';
import { resetStub } from './support/stub';

test('another identity cannot open a conversation or its images', async ({ page, browser }) => {
  await resetStub();
  const owner = new ChatPage(page);
  await owner.open();
  await owner.attach({ name: 'private.jpg', mimeType: 'image/jpeg', buffer: await photoWithGps(640, 480, '#7048e8') });
  await owner.waitForUploads();
  await owner.ask('Whose desk is this?');
  await owner.waitForAnswerDone();
  const id = owner.conversationId();
  const imageUrl = await owner.userMessages.getByTestId('message-image').getAttribute('src');
  expect(imageUrl).toMatch(/^\/api\/media\/[0-9a-f-]{36}$/);

  const strangerContext = await browser.newContext();
  const stranger = await strangerContext.newPage();
  const response = await stranger.goto(`/c/${id}`);
  expect(response?.status()).toBe(404);
  await expect(stranger.getByTestId('not-found')).toBeVisible();
  await expect(stranger.getByTestId('conversation-item')).toHaveCount(0);

  for (const url of [imageUrl!, `${imageUrl}?original=1`, `/api/conversations/${id}`]) {
    const res = await stranger.request.get(url);
    expect(res.status(), url).toBe(404);
  }
  const hijack = await stranger.request.post('/api/chat', {
    data: { trigger: 'submit-message', id, modelId: 'compatible:stub-vision', message: { parts: [{ type: 'text', text: 'mine now' }] } },
  });
  expect(hijack.status()).toBe(404);
  const stop = await stranger.request.post(`/api/conversations/${id}/stop`);
  expect(stop.status()).toBe(404);
  const del = await stranger.request.delete(`/api/conversations/${id}`);
  expect(del.status()).toBe(404);
  // Using someone else's uploaded image in one's own message is refused too.
  const borrow = await stranger.request.post('/api/chat', {
    data: { trigger: 'submit-message', id: crypto.randomUUID(), modelId: 'compatible:stub-vision', message: { parts: [{ type: 'file', url: imageUrl }, { type: 'text', text: 'describe' }] } },
  });
  expect(borrow.status()).toBe(404);
  await strangerContext.close();

  // The owner still has everything.
  await page.reload();
  await expect(owner.lastAnswer()).toContainText('Whose desk is this?');
});
