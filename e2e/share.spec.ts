import { writeFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { photoWithGps } from '../tests/support/images';
import { AuthPage } from './pages/auth-page';
import { ChatPage } from './pages/chat-page';
import { ShareDialog, SharedLinksPage, SharedPage } from './pages/share-page';
import { resetStub } from './support/stub';

test.beforeEach(async () => {
  await resetStub();
});

test('share a conversation: a stranger reads the snapshot, later messages stay private, revoking stops page and images, an account continues in a copy', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const owner = new ChatPage(page);
  const share = new ShareDialog(page);

  await owner.open();
  // No conversation yet, nothing to share.
  await expect(share.button).toHaveCount(0);
  await owner.attach({ name: 'shared-desk.jpg', mimeType: 'image/jpeg', buffer: await photoWithGps(800, 600, '#e8590c') });
  await owner.waitForUploads();
  await owner.ask('What is on this shared desk?');
  await owner.waitForAnswerDone();
  const conversationId = owner.conversationId();

  await share.open();
  const sharePath = await share.createLink();
  expect(sharePath).toMatch(/^\/share\/[A-Za-z0-9_-]{43}$/);
  await expect(share.liveLinks).toHaveCount(1);
  // A second link to the same snapshot, for someone with an account later on.
  const secondPath = await share.createLink('7');
  expect(secondPath).not.toBe(sharePath);
  await expect(share.liveLinks).toHaveCount(2);
  await expect(share.liveLinks.getByTestId('share-link-expiry')).toHaveText(['expires in 7 d', 'never expires']);
  await page.screenshot({ path: test.info().outputPath('owner-share-dialog.png') });
  await share.close();

  // A stranger in a fresh browser: no cookies, no session.
  const strangerContext = await browser.newContext();
  const strangerPage = await strangerContext.newPage();
  const stranger = new SharedPage(strangerPage);
  const opened = await stranger.open(sharePath);
  expect(opened?.status()).toBe(200);
  await expect(stranger.title).toHaveText('What is on this shared desk?');
  await expect(stranger.userMessages).toHaveCount(1);
  await expect(stranger.assistantMessages.first()).toContainText('Stub answer to: "What is on this shared desk?"');
  const image = stranger.images.first();
  const imageUrl = await image.getAttribute('src');
  expect(imageUrl).toMatch(new RegExp(`^${sharePath}/media/[0-9a-f-]{36}$`));
  expect(await stranger.imageLoaded(image)).toBe(true);
  // Read-only, and nothing on the page points at the owner's private media route.
  await expect(strangerPage.getByTestId('composer-input')).toHaveCount(0);
  await expect(strangerPage.getByTestId('regenerate-button')).toHaveCount(0);
  expect(await strangerPage.content()).not.toContain('/api/media/');
  // Link previews.
  await expect(stranger.meta('og:title')).toHaveAttribute('content', 'What is on this shared desk?');
  await expect(stranger.meta('og:description')).toHaveAttribute('content', 'What is on this shared desk?');
  await expect(stranger.meta('twitter:card')).toHaveAttribute('content', 'summary_large_image');
  const ogImage = await stranger.meta('og:image').first().getAttribute('content');
  // Absolute, on the address the page was opened at (what an unfurler fetches).
  expect(ogImage).toContain(`${new URL(strangerPage.url()).origin}${sharePath}/opengraph-image`);
  await expect(stranger.meta('twitter:image').first()).toHaveAttribute('content', ogImage!);
  const preview = await strangerContext.request.get(ogImage!);
  expect(preview.status()).toBe(200);
  expect(preview.headers()['content-type']).toBe('image/png');
  await writeFile(test.info().outputPath('og-image.png'), await preview.body());
  await expect(stranger.signUpToContinue).toHaveAttribute('href', `/sign-up?next=${encodeURIComponent(sharePath)}`);
  await strangerPage.screenshot({ path: test.info().outputPath('stranger-shared-page.png'), fullPage: true });

  // The owner carries on; the shared snapshot does not change.
  await owner.ask('A follow-up that stays private');
  await expect(owner.assistantMessages).toHaveCount(2);
  await owner.waitForAnswerDone();
  await expect(owner.lastAnswer()).toContainText('Stub answer to: "A follow-up that stays private"');
  await strangerPage.reload();
  await expect(stranger.title).toBeVisible();
  await expect(stranger.userMessages).toHaveCount(1);
  await expect(stranger.assistantMessages).toHaveCount(1);
  await expect(strangerPage.getByText('A follow-up that stays private')).toHaveCount(0);

  // The owner revokes from the Shared links page.
  const sharedLinks = new SharedLinksPage(page);
  await sharedLinks.openFromSidebar();
  await expect(sharedLinks.link(sharePath)).toHaveAttribute('data-status', 'live');
  await expect(sharedLinks.link(sharePath).getByTestId('share-link-views')).toHaveText('2 views');
  await page.screenshot({ path: test.info().outputPath('owner-shared-links.png') });
  await sharedLinks.revoke(sharePath);

  const gone = await stranger.open(sharePath);
  expect(gone?.status()).toBe(404);
  await expect(stranger.unavailable).toContainText('revoked or has expired');
  await strangerPage.screenshot({ path: test.info().outputPath('stranger-revoked.png') });
  for (const url of [imageUrl!, `${imageUrl}?original=1`, ogImage!]) {
    expect((await strangerContext.request.get(url)).status(), url).toBe(404);
  }
  await strangerContext.close();

  // The other link still works; the owner's dialog lists only that one now.
  await owner.open(`/c/${conversationId}`);
  await share.open();
  await expect(share.liveLinks).toHaveCount(1);
  await expect(share.liveLinks.getByTestId('share-link-url')).toHaveText(secondPath);
  await share.close();

  const viewerContext = await browser.newContext();
  const viewerPage = await viewerContext.newPage();
  await new AuthPage(viewerPage).signUp(`viewer-${Date.now()}@example.com`, 'correct horse battery');
  await expect(viewerPage.getByTestId('account-email')).toBeVisible();
  const viewer = new SharedPage(viewerPage);
  await viewer.open(secondPath);
  await expect(viewer.userMessages).toHaveCount(1);
  await expect(viewer.signUpToContinue).toHaveCount(0);
  await viewer.continueCopy.click();
  await expect(viewerPage).toHaveURL(/\/c\/[0-9a-f-]{36}$/);
  const copyId = /\/c\/([0-9a-f-]{36})$/.exec(viewerPage.url())![1];
  expect(copyId).not.toBe(conversationId);
  const copy = new ChatPage(viewerPage);
  await expect(copy.userMessages).toHaveCount(1);
  await expect(copy.lastAnswer()).toContainText('Stub answer to: "What is on this shared desk?"');
  await expect(viewerPage.getByText('A follow-up that stays private')).toHaveCount(0);
  const copiedImage = copy.userMessages.getByTestId('message-image');
  expect(await copiedImage.getAttribute('src')).toMatch(/^\/api\/media\/[0-9a-f-]{36}$/);
  expect(await copiedImage.getAttribute('src')).not.toBe(imageUrl!.replace(/^.*\/media\//, '/api/media/'));
  expect(await viewer.imageLoaded(copiedImage)).toBe(true);
  await expect(copy.conversations.first()).toContainText('What is on this shared desk?');
  // The copy is the viewer's own: they can ask in it.
  await copy.ask('My own question about the copy');
  await expect(copy.assistantMessages).toHaveCount(2);
  await copy.waitForAnswerDone();
  // The copied image went to the model with the new question: the copy's media rows work.
  await expect(copy.lastAnswer()).toContainText('Stub answer to: "My own question about the copy" (images: 1,');
  await viewerPage.screenshot({ path: test.info().outputPath('viewer-copy.png') });
  await viewerContext.close();
});

test('the share dialog on a phone in dark mode: keyboard only, Esc closes it', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
  const page = await context.newPage();
  const owner = new ChatPage(page);
  const share = new ShareDialog(page);
  await owner.open();
  await owner.ask('Shared from a phone');
  await owner.waitForAnswerDone();

  await share.button.focus();
  await page.keyboard.press('Enter');
  await expect(share.dialog).toBeVisible();
  // The modal takes focus (its first control, Close); Tab walks to the expiry and to Create.
  await expect(share.dialog.getByTestId('share-close')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(share.expiry).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(share.create).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(share.url).toHaveValue(/\/share\/[A-Za-z0-9_-]{43}$/);
  const path = new URL(await share.url.inputValue()).pathname;
  await page.screenshot({ path: test.info().outputPath('phone-dark-dialog.png') });
  await page.keyboard.press('Escape');
  await expect(share.dialog).toBeHidden();
  await expect(share.button).toBeFocused();

  const viewer = new SharedPage(page);
  await viewer.open(path);
  await expect(viewer.title).toHaveText('Shared from a phone');
  // The owner is signed in as a guest here: guests are invited to sign up rather than copy.
  await expect(viewer.signUpToContinue).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('phone-dark-shared.png'), fullPage: true });
  await context.close();
});
