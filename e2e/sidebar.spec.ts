import { expect, test } from '@playwright/test';
import { ChatPage } from './pages/chat-page';
import { resetStub } from './support/stub';

test('conversations are listed newest first, can be renamed and deleted', async ({ page }) => {
  await resetStub();
  const chat = new ChatPage(page);
  await chat.open();
  await chat.ask('First question about nothing');
  await chat.waitForAnswerDone();
  const firstId = chat.conversationId();

  await page.getByTestId('new-chat').click();
  await expect(page.getByTestId('empty-state')).toBeVisible();
  await chat.ask('Second question, newer');
  await chat.waitForAnswerDone();

  await expect(chat.conversations).toHaveCount(2);
  await expect(chat.conversations.nth(0)).toContainText('Second question, newer');
  await expect(chat.conversations.nth(1)).toContainText('First question about nothing');

  const older = chat.conversations.nth(1);
  await older.hover();
  await older.getByTestId('conversation-rename').click();
  const input = page.getByTestId('conversation-title-input');
  await input.fill('Renamed by hand');
  await input.press('Enter');
  await expect(older).toContainText('Renamed by hand');
  await page.reload();
  await expect(chat.conversations.nth(1)).toContainText('Renamed by hand');

  page.once('dialog', (dialog) => dialog.accept());
  await chat.conversations.nth(1).hover();
  await chat.conversations.nth(1).getByTestId('conversation-delete').click();
  await expect(chat.conversations).toHaveCount(1);
  expect((await page.request.get(`/api/conversations/${firstId}`)).status()).toBe(404);
});
