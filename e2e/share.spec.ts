import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { photoWithGps } from '../tests/support/images';
import { clipWithCuts } from '../tests/support/videos';
import { AuthPage } from './pages/auth-page';
import { ChatPage } from './pages/chat-page';
import { ShareDialog, SharedLinksPage, SharedPage, SharedVideoPanel } from './pages/share-page';
import { resetStub } from './support/stub';

const run = promisify(execFile);

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

test('a shared video: viewers play its metadata-free copy (never the original) with the timeline, a cited time plays from there, revoking stops it all', async ({ page, browser }) => {
  test.setTimeout(180_000);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-e2e-share-video-'));
  const clip = await clipWithCuts(dir);
  // Mirrored, so its frames are not video.spec's: captions are cached by picture, and that spec
  // watches its captions being made.
  const mirrored = path.join(dir, 'mirrored.mp4');
  const x264 = ['-c:v', 'libx264', '-preset', 'veryfast', '-g', '250', '-sc_threshold', '0', '-pix_fmt', 'yuv420p', '-c:a', 'copy'];
  await run('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-i', clip.file, '-vf', 'hflip', ...x264, mirrored]);
  const owner = new ChatPage(page);
  const share = new ShareDialog(page);

  await owner.open();
  await owner.attach({ name: 'scenes.mp4', mimeType: 'video/mp4', buffer: await readFile(mirrored) });
  await owner.waitForUploads();
  await expect(page.getByTestId('composer-video-wait')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('composer-video-wait')).toHaveCount(0, { timeout: 90_000 });
  await owner.ask('Where does the picture change?');
  await owner.waitForAnswerDone();
  // On the owner's page the citation still plays the video.
  await expect(owner.lastAnswer().getByTestId('timestamp-link')).toHaveAttribute('data-mode', 'play');

  await share.open();
  const sharePath = await share.createLink();
  await share.close();

  const strangerContext = await browser.newContext();
  const strangerPage = await strangerContext.newPage();
  const stranger = new SharedPage(strangerPage);
  expect((await stranger.open(sharePath))?.status()).toBe(200);
  const video = new SharedVideoPanel(strangerPage);
  await expect(video.root).toBeVisible();
  await expect(video.summary).toContainText(`A stub summary of a video in ${clip.cutsMs.length + 1} scenes`);
  await expect(video.scenes).toHaveCount(clip.cutsMs.length + 1);
  // The player, the poster and the frames all come through the link, and they load.
  await expect(video.player).toBeVisible();
  await expect(video.note).toHaveCount(0);
  const streamUrl = (await video.player.getAttribute('src'))!;
  expect(streamUrl).toMatch(new RegExp(`^${sharePath}/media/[0-9a-f-]{36}\\?stream=1$`));
  const mediaId = streamUrl.split('/').at(-1)!.split('?')[0];
  const posterUrl = `${sharePath}/media/${mediaId}`;
  await expect(video.player).toHaveAttribute('poster', posterUrl);
  await expect.poll(() => video.player.evaluate((el: HTMLVideoElement) => el.readyState)).toBeGreaterThanOrEqual(1);
  const frameUrls = await video.scenes.locator('img').evaluateAll((imgs) => imgs.map((img) => img.getAttribute('src')));
  expect(frameUrls).toEqual(frameUrls.map((_, i) => `${sharePath}/videos/${mediaId}/frames/${i}`));
  await video.expectThumbnailsLoaded();
  // Nothing pointing at the owner's routes, no cancel or retry.
  await expect(strangerPage.getByTestId('video-retry')).toHaveCount(0);
  const content = await strangerPage.content();
  expect(content).not.toContain('/api/media/');
  expect(content).not.toContain('/api/videos/');
  const view = await strangerContext.request.get(`${sharePath}/videos/${mediaId}`);
  expect(view.status()).toBe(200);
  expect(await view.json()).toMatchObject({ id: mediaId, streamUrl, posterUrl });

  // What plays is the playback copy: an MP4 without the original's bytes (those may say where it was filmed).
  const played = await strangerContext.request.get(streamUrl, { headers: { range: 'bytes=0-' } });
  expect(played.status()).toBe(206);
  expect(played.headers()['content-type']).toBe('video/mp4');
  expect((await played.body()).equals(await readFile(mirrored))).toBe(false);

  // The answer's citation plays the video from the scene it names.
  const link = stranger.assistantMessages.getByTestId('timestamp-link');
  await expect(link).toHaveCount(1);
  await expect(link).toHaveAttribute('data-mode', 'play');
  const cited = Number(await link.getAttribute('data-seconds'));
  await link.click();
  await expect.poll(() => video.player.evaluate((el: HTMLVideoElement) => el.currentTime), { timeout: 10_000 }).toBeGreaterThanOrEqual(cited - 0.05);
  await video.player.evaluate((el: HTMLVideoElement) => el.pause());
  const starts = await video.scenes.evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-start-ms'))));
  // The stub cites the second scene's start in whole seconds, as the timeline it was sent gives it.
  expect(Math.floor(starts[1] / 1000)).toBe(cited);
  await strangerPage.screenshot({ path: test.info().outputPath('stranger-shared-video.png'), fullPage: true });

  const frameUrl = frameUrls[0]!;
  const frame = await strangerContext.request.get(frameUrl);
  expect(frame.status()).toBe(200);
  expect(frame.headers()['content-type']).toBe('image/jpeg');
  expect(frame.headers()['cache-control']).toBe('private, no-cache');

  const sharedLinks = new SharedLinksPage(page);
  await sharedLinks.openFromSidebar();
  await sharedLinks.revoke(sharePath);
  for (const url of [frameUrl, `${sharePath}/videos/${mediaId}`, posterUrl, streamUrl]) {
    expect((await strangerContext.request.get(url)).status(), url).toBe(404);
  }
  await strangerContext.close();
});
