import { expect, test } from '@playwright/test';
import { photoWithGps } from '../tests/support/images';
import { AuthPage } from './pages/auth-page';
import { ChatPage } from './pages/chat-page';
import { resetStub } from './support/stub';

test.beforeEach(async () => {
  await resetStub();
});

test('a guest signs up and keeps their conversations; signing out and in brings them back', async ({ page }) => {
  const chat = new ChatPage(page);
  const auth = new AuthPage(page);
  const email = `person-${Date.now()}@example.com`;

  await chat.open();
  await expect(page.getByTestId('account-panel')).toContainText('You are a guest');
  await chat.attach({ name: 'kept.jpg', mimeType: 'image/jpeg', buffer: await photoWithGps(640, 480, '#0b7285') });
  await chat.waitForUploads();
  await chat.ask('Will this survive signing up?');
  await chat.waitForAnswerDone();
  const id = chat.conversationId();

  await page.getByTestId('sign-up-link').click();
  await auth.signUp(email, 'correct horse battery');
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('account-email')).toHaveText(email);
  await expect(chat.conversations).toHaveCount(1);
  await expect(chat.conversations.first()).toContainText('Will this survive signing up?');
  await chat.open(`/c/${id}`);
  await expect(chat.userMessages.getByTestId('message-image')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('signed-up.png') });

  await page.getByTestId('sign-out').click();
  await expect(page.getByTestId('account-panel')).toContainText('You are a guest');
  await expect(chat.conversations).toHaveCount(0);
  expect((await page.goto(`/c/${id}`))?.status()).toBe(404);

  await auth.signIn(email, 'correct horse battery');
  await expect(page.getByTestId('account-email')).toHaveText(email);
  await expect(chat.conversations.first()).toContainText('Will this survive signing up?');
});

test('sign-up and sign-in errors are shown on the form', async ({ page }) => {
  const auth = new AuthPage(page);
  const email = `taken-${Date.now()}@example.com`;
  await auth.signUp(email, 'long enough password');
  await expect(page.getByTestId('account-email')).toHaveText(email);
  await page.getByTestId('sign-out').click();
  await expect(page.getByTestId('account-panel')).toContainText('You are a guest');

  await auth.signUp(email, 'another password here');
  await expect(page.getByTestId('auth-error')).toContainText(/already exists/i);

  await auth.signIn(email, 'wrong password!!');
  await expect(page.getByTestId('auth-error')).toContainText(/invalid email or password/i);
  await page.screenshot({ path: test.info().outputPath('sign-in-error.png') });
});
