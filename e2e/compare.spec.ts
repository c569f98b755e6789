import { expect, test } from '@playwright/test';
import { photoWithGps } from '../tests/support/images';
import { AuthPage } from './pages/auth-page';
import { ChatPage, type FileSpec } from './pages/chat-page';
import { ComparePanel } from './pages/compare-panel';
import { ShareDialog, SharedPage } from './pages/share-page';
import { resetStub, stubRequests } from './support/stub';

test.beforeEach(async () => {
  await resetStub();
});

const photo = async (name: string, colour: string, width = 900, height = 600): Promise<FileSpec> => ({
  name,
  mimeType: 'image/jpeg',
  buffer: await photoWithGps(width, height, colour),
});

const modelCalls = async () => (await stubRequests()).filter((r) => r.path === '/v1/chat/completions');

test('compare three photos: the table streams in, is stored, and reads the same on a share link and in the admin console', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const chat = new ChatPage(page);
  const compare = new ComparePanel(page);
  await chat.open();

  // One photo: Compare is there but says why it cannot compare yet, also to the keyboard.
  await chat.attach(await photo('sunrise.jpg', '#e8590c'));
  await chat.waitForUploads();
  await expect(compare.button).toHaveAttribute('aria-disabled', 'true');
  await compare.button.focus();
  await expect(compare.reason).toBeVisible();
  await expect(compare.reason).toHaveText('Comparing takes 2 to 10 images; 1 attached. Attach another, or select one in the conversation.');
  await compare.button.click({ force: true });
  await expect(chat.userMessages).toHaveCount(0);

  await chat.attach(await photo('forest.jpg', '#2b8a3e', 600, 900), await photo('harbour.jpg', '#1864ab'));
  await chat.waitForUploads();
  await expect(compare.button).toHaveAttribute('aria-disabled', 'false');
  await page.screenshot({ path: test.info().outputPath('compare-staged.png') });

  await compare.recordProgress();
  const question = 'Which photo would you recommend for a poster?';
  await chat.input.fill(question);
  // Keyboard: from the question to Compare is one Tab.
  await chat.input.press('Tab');
  await expect(compare.button).toBeFocused();
  await page.keyboard.press('Enter');
  await compare.waitForComplete();
  await chat.waitForAnswerDone();

  // It streamed: rows appeared one after another before the table was complete.
  const progress = await compare.progress();
  const streamed = progress.filter((p) => p.startsWith('streaming:')).map((p) => Number(p.split(':')[1]));
  expect(streamed.length).toBeGreaterThan(1);
  expect(Math.max(...streamed)).toBeGreaterThan(0);
  expect(progress.at(-1)).toBe('complete:3');

  await expect(compare.imageColumns).toHaveCount(3);
  await expect(compare.imageColumns).toHaveText([/Image 1/, /Image 2/, /Image 3/]);
  await expect(compare.imageColumns.nth(1)).toHaveAttribute('title', 'forest.jpg');
  expect(await compare.thumbnailsLoaded()).toEqual([true, true, true]);
  await expect(compare.rows).toHaveCount(3);
  await expect(compare.rows.first()).toHaveText(/Stub aspect 1\s*Stub values 1\.1\s*Stub values 1\.2\s*Stub values 1\.3/);
  await expect(compare.similarities).toHaveText(['Stub similarities 1', 'Stub similarities 2', 'Stub similarities 3']);
  await expect(compare.recommendation).toContainText('Recommended: Image 1 · sunrise.jpg');
  await expect(compare.recommendation).toContainText('Stub reason');
  await expect(chat.lastAnswer().getByTestId('message-meta')).toContainText(/^stub-vision · [\d,]+ in · [\d,]+ out · \$0\.\d+/);
  await expect(chat.userMessages.last()).toContainText(question);
  await page.screenshot({ path: test.info().outputPath('compare-desktop.png'), fullPage: true });

  // What the model was asked: the three images and a JSON schema for the answer.
  const [call] = await modelCalls();
  expect(call.imageCount).toBe(3);
  expect((call.body as { response_format: { type: string } }).response_format.type).toBe('json_schema');

  // Stored: a reload shows the same table.
  await page.reload();
  await expect(compare.imageColumns).toHaveCount(3);
  await expect(compare.rows).toHaveCount(3);
  await expect(compare.root).toHaveAttribute('data-state', 'complete');

  // Regenerate compares again, with the model.
  await chat.lastAnswer().getByTestId('regenerate-button').click();
  await compare.waitForComplete();
  await chat.waitForAnswerDone();
  expect(await modelCalls()).toHaveLength(2);

  // A stranger with the share link reads the same table, images through the link.
  const share = new ShareDialog(page);
  await share.open();
  const sharePath = await share.createLink();
  await share.close();
  const strangerContext = await browser.newContext();
  const strangerPage = await strangerContext.newPage();
  await new SharedPage(strangerPage).open(sharePath);
  const shared = new ComparePanel(strangerPage);
  await expect(shared.imageColumns).toHaveCount(3);
  await expect(shared.rows).toHaveCount(3);
  await expect(shared.recommendation).toContainText('Recommended: Image 1');
  await expect(shared.imageColumns.first().locator('img')).toHaveAttribute('src', new RegExp(`^${sharePath}/media/`));
  expect(await shared.thumbnailsLoaded()).toEqual([true, true, true]);
  await expect(strangerPage.getByTestId('regenerate-button')).toHaveCount(0);
  await expect(strangerPage.getByTestId('pick-image')).toHaveCount(0);
  await strangerPage.screenshot({ path: test.info().outputPath('compare-shared.png'), fullPage: true });
  await strangerContext.close();

  // The admin's conversation view renders it read-only too.
  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  await new AuthPage(adminPage).signInAsAdmin();
  await adminPage.goto(`/admin/conversations/${chat.conversationId()}`);
  const admin = new ComparePanel(adminPage);
  await expect(admin.imageColumns).toHaveCount(3);
  await expect(admin.rows).toHaveCount(3);
  await expect(admin.imageColumns.first().locator('img')).toHaveAttribute('src', /^\/admin\/media\//);
  await adminContext.close();
});

test('images already in the conversation can be picked and compared with a new upload', async ({ page }) => {
  const chat = new ChatPage(page);
  const compare = new ComparePanel(page);
  await chat.open();
  await chat.attach(await photo('kitchen-before.jpg', '#868e96'), await photo('kitchen-after.jpg', '#f8f9fa'));
  await chat.waitForUploads();
  await chat.ask('What changed in this kitchen?');
  await chat.waitForAnswerDone();

  await compare.pickButtons.first().click();
  await expect(compare.pickButtons.first()).toHaveAttribute('aria-pressed', 'true');
  await chat.attach(await photo('kitchen-plan.jpg', '#fab005'));
  await chat.waitForUploads();
  await expect(chat.attachments).toHaveCount(2);
  await expect(chat.attachment('kitchen-before.jpg')).toContainText('From this conversation');
  await page.screenshot({ path: test.info().outputPath('compare-picked.png') });
  await compare.compare();
  await compare.waitForComplete();
  await expect(compare.imageColumns).toHaveCount(2);
  await expect(compare.imageColumns.nth(0)).toHaveAttribute('title', 'kitchen-before.jpg');
  await expect(compare.imageColumns.nth(1)).toHaveAttribute('title', 'kitchen-plan.jpg');
  // No question typed: the default one, and no recommendation since it did not ask for one.
  await expect(chat.userMessages.last()).toContainText('Compare these images');
  await expect(compare.recommendation).toHaveCount(0);
  expect((await modelCalls()).at(-1)?.imageCount).toBe(2);
});

test('while it streams the table fills in under "Comparing…"; stopped, no half-filled table is kept', async ({ page }) => {
  const chat = new ChatPage(page);
  const compare = new ComparePanel(page);
  await chat.open();
  await chat.attach(await photo('draft-a.jpg', '#364fc7'), await photo('draft-b.jpg', '#e64980'));
  await chat.waitForUploads();
  await compare.compare('Compare the drafts [slow]');
  await expect(compare.root).toHaveAttribute('data-state', 'streaming');
  await expect(page.getByTestId('comparison-streaming')).toHaveText('Comparing 2 images…');
  await expect(compare.rows).not.toHaveCount(0, { timeout: 20_000 });
  await page.screenshot({ path: test.info().outputPath('compare-streaming.png') });

  await chat.input.press('Escape');
  await chat.waitForAnswerDone();
  await expect(chat.lastAnswer()).toHaveAttribute('data-status', 'stopped');
  await expect(chat.lastAnswer()).toContainText('Stopped before the end.');
  await expect(page.getByTestId('comparison')).toHaveCount(0);
  await page.reload();
  await expect(chat.lastAnswer()).toHaveAttribute('data-status', 'stopped');
  await expect(page.getByTestId('comparison')).toHaveCount(0);
});

test('a malformed answer is asked for again: the table starts over and completes', async ({ page }) => {
  const chat = new ChatPage(page);
  const compare = new ComparePanel(page);
  await chat.open();
  await chat.attach(await photo('north.jpg', '#087f5b'), await photo('south.jpg', '#d9480f'));
  await chat.waitForUploads();
  await compare.recordProgress();
  const answer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/chat' && r.request().method() === 'POST');
  await compare.compare('Compare these [json:brokenx1]');
  await compare.waitForComplete();
  // The stream told the page to start over after the first, malformed table. The page may batch that
  // brief state away (it renders streamed updates at most every 50 ms), so the stream itself is read.
  const states = [...(await (await answer).text()).matchAll(/"state":"(\w+)"/g)].map((m) => m[1]);
  const restart = states.indexOf('retrying');
  expect(restart).toBeGreaterThan(0);
  expect(states.slice(0, restart)).toContain('streaming');
  expect(states.at(-1)).toBe('complete');
  const progress = await compare.progress();
  expect(progress.some((p) => p.startsWith('streaming:'))).toBe(true);
  expect(progress.at(-1)).toBe('complete:2');
  await expect(page.getByTestId('message-error')).toHaveCount(0);
  expect(await modelCalls()).toHaveLength(2);
});

test('a malformed answer is retried once, then shown as an error with Retry — never as a table', async ({ page }) => {
  const chat = new ChatPage(page);
  const compare = new ComparePanel(page);
  await chat.open();
  await chat.attach(await photo('left.jpg', '#c92a2a'), await photo('right.jpg', '#5f3dc4'));
  await chat.waitForUploads();
  await compare.recordProgress();
  await compare.compare('Compare these [json:broken]');

  const error = page.getByTestId('message-error').or(page.getByTestId('chat-error'));
  await expect(error).toContainText('malformed comparison 2 times', { timeout: 20_000 });
  await chat.waitForAnswerDone();
  await expect(page.getByTestId('comparison')).toHaveCount(0);
  // The broken JSON did start a table; it was withdrawn, not left half-filled.
  expect((await compare.progress()).some((p) => p.startsWith('streaming:'))).toBe(true);
  expect(await modelCalls()).toHaveLength(2);
  await expect(page.getByTestId('retry-button')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('compare-error.png') });

  await page.reload();
  await expect(page.getByTestId('message-error')).toContainText('malformed comparison');
  await expect(page.getByTestId('comparison')).toHaveCount(0);
  await expect(page.getByTestId('retry-button')).toBeVisible();
});

test('phone, dark mode: the table scrolls sideways with the aspect column kept in view', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, colorScheme: 'dark' });
  const page = await context.newPage();
  const chat = new ChatPage(page);
  const compare = new ComparePanel(page);
  await chat.open();
  await chat.attach(
    await photo('one.jpg', '#e67700'),
    await photo('two.jpg', '#0b7285'),
    await photo('three.jpg', '#5c940d'),
    await photo('four.jpg', '#a61e4d'),
  );
  await chat.waitForUploads();
  await page.screenshot({ path: test.info().outputPath('compare-phone-staged-dark.png') });
  await compare.compare('Which one is best?');
  await compare.waitForComplete();
  await chat.waitForAnswerDone();
  await expect(compare.imageColumns).toHaveCount(4);

  const scroller = compare.table.locator('xpath=..');
  const aspect = compare.rows.first().getByRole('rowheader');
  await scroller.scrollIntoViewIfNeeded();
  // The table is wider than the screen but the page is not: only the table scrolls.
  expect(await scroller.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const before = (await aspect.boundingBox())!;
  await page.screenshot({ path: test.info().outputPath('compare-phone-dark.png') });
  await scroller.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
  await expect.poll(async () => (await compare.imageColumns.last().boundingBox())!.x).toBeLessThan(390);
  expect((await aspect.boundingBox())!.x).toBeCloseTo(before.x, 0);
  await page.screenshot({ path: test.info().outputPath('compare-phone-dark-scrolled.png') });
  await context.close();
});
