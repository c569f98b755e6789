import { expect, test } from '@playwright/test';
import { photoWithGps } from '../tests/support/images';
import { AuthPage, E2E_ADMIN } from './pages/auth-page';
import { ChatPage } from './pages/chat-page';
import { resetStub } from './support/stub';

const ADMIN = E2E_ADMIN.email;

test('the admin console is gated, shows usage and history, and logs every conversation view', async ({ page, browser }) => {
  await resetStub();
  const chat = new ChatPage(page);
  await chat.open();
  expect((await page.goto('/admin'))?.status()).toBe(404);

  await chat.open();
  await chat.attach({ name: 'evidence.jpg', mimeType: 'image/jpeg', buffer: await photoWithGps(500, 400, '#862e9c') });
  await chat.waitForUploads();
  const title = `Admin should find this ${Date.now()}`;
  await chat.ask(title);
  await chat.waitForAnswerDone();
  const id = chat.conversationId();

  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  const auth = new AuthPage(adminPage);
  await auth.signInAsAdmin();
  await expect(adminPage.getByTestId('admin-link')).toBeVisible();
  await adminPage.getByTestId('admin-link').click();

  await expect(adminPage.getByTestId('stat-answers')).not.toHaveText('0');
  await expect(adminPage.getByTestId('chart-tokens-by-model')).toContainText('compatible:stub-vision');
  await adminPage.screenshot({ path: test.info().outputPath('admin-usage.png'), fullPage: true });

  await adminPage.goto(`/admin/conversations?q=${encodeURIComponent(title)}`);
  await expect(adminPage.getByTestId('history-row')).toHaveCount(1);
  await adminPage.getByTestId('history-row').getByRole('link').click();
  await expect(adminPage.getByTestId('admin-conversation-title')).toHaveText(title);
  await expect(adminPage.getByTestId('message-image')).toBeVisible();
  await expect(adminPage.getByTestId('message-image')).toHaveAttribute('src', /^\/admin\/media\//);

  await adminPage.goto('/admin/audit');
  await expect(adminPage.getByTestId('audit-row').first()).toContainText(`viewed conversation ${id}`);
  await expect(adminPage.getByTestId('audit-row').first()).toContainText(ADMIN);
  await adminPage.screenshot({ path: test.info().outputPath('admin-audit.png') });

  // The owner's image is not reachable through the admin route by the owner (or anyone not admin).
  const imageId = (await page.getByTestId('message-image').getAttribute('src'))!.split('/').at(-1);
  expect((await page.request.get(`/admin/media/${imageId}`)).status()).toBe(404);
  await adminContext.close();
});
