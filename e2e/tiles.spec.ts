import { expect, test, type Page } from '@playwright/test';
import sharp from 'sharp';
import { photoWithGps } from '../tests/support/images';
import { ChatPage, type FileSpec } from './pages/chat-page';
import { FineDetailPanel } from './pages/fine-detail-panel';
import { resetStub, STUB_ORIGIN, stubRequests, type RecordedRequest } from './support/stub';

test.beforeEach(async () => {
  // Also puts back the stub's call delay a test may have set.
  await resetStub();
});

/** Each stub call takes this long, as a real model's does, so the parts can be seen being read. */
async function slowStub(callDelayMs: number) {
  const res = await fetch(`${STUB_ORIGIN}/__config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ callDelayMs }) });
  expect(res.status).toBe(204);
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/**
 * A 1080 × 9000 phone-app screenshot of release notes: headings and body text down the page, and
 * an 11 px footnote at the very bottom that the stub's budget (the whole image at 336 × 2884)
 * shrinks to a few pixels tall.
 */
async function releaseNotes(name = 'release-notes.png'): Promise<FileSpec> {
  const lines: string[] = [];
  for (let y = 120, n = 1; y < 8700; y += 46, n++) {
    const heading = n % 12 === 1;
    lines.push(
      heading
        ? `<text x="48" y="${y + 10}" font-size="34" font-weight="bold" fill="#111827">Version 4.${Math.ceil(n / 12)} — what changed</text>`
        : `<text x="48" y="${y}" font-size="24" fill="#374151">${escapeXml(`• Item ${n}: the sync engine now retries after ${n % 7} s and keeps drafts offline`)}</text>`,
    );
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1080" height="9000" font-family="Liberation Sans, sans-serif">
    <rect width="1080" height="9000" fill="#ffffff"/>
    <rect width="1080" height="84" fill="#0369a1"/>
    <text x="48" y="56" font-size="36" font-weight="bold" fill="#ffffff">Release notes</text>
    ${lines.join('\n')}
    <line x1="48" y1="8900" x2="1032" y2="8900" stroke="#d1d5db"/>
    <text x="48" y="8940" font-size="11" fill="#6b7280">Footnote: licence key QX-4417-ZB, valid until 31 March 2027.</text>
  </svg>`;
  return { name, mimeType: 'image/png', buffer: await sharp(Buffer.from(svg)).flatten({ background: '#ffffff' }).png().toBuffer() };
}

const photo = async (): Promise<FileSpec> => ({ name: 'harbour.jpg', mimeType: 'image/jpeg', buffer: await photoWithGps(1600, 1200, '#1864ab') });

const modelCalls = async () => (await stubRequests()).filter((r) => r.path === '/v1/chat/completions');
const isFinal = (r: RecordedRequest) => (r.body as { stream?: boolean }).stream === true;
const count = (text: string) => Number(text.replace(/,/g, ''));

/** The numbers of "2 images ≈ 14,130 input tokens ($0.0028) with fine detail · 2,530 ($0.00051) without". */
function estimateNumbers(text: string) {
  const match = /≈ ([\d,]+) input tokens \(\$([\d.]+)\) with fine detail · ([\d,]+) \(\$([\d.]+)\) without$/.exec(text);
  if (!match) throw new Error(`not an estimate with fine detail: ${text}`);
  return { withTokens: count(match[1]), withUsd: Number(match[2]), withoutTokens: count(match[3]), withoutUsd: Number(match[4]) };
}

async function noSideways(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(page.viewportSize()!.width);
}

test('a long screenshot: fine detail offered with its cost, read part by part, answered from every part, stored and regenerated', async ({ page }) => {
  test.setTimeout(120_000);
  const chat = new ChatPage(page);
  const fine = new FineDetailPanel(page);
  await chat.open();
  await chat.attach(await releaseNotes(), await photo());
  await chat.waitForUploads();

  // The photo loses little when sent whole: nothing to offer. The screenshot would lose its small print.
  await expect(fine.toggle('harbour.jpg')).toHaveCount(0);
  const toggle = fine.toggle('release-notes.png');
  await expect(toggle).toHaveAccessibleName('Fine detail · 11 tiles');
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(toggle).toHaveAttribute('title', /^Read this image in 11 overlapping parts at full resolution, one model call each/);
  await expect(fine.estimate).toHaveText(/^2 images ≈ [\d,]+ input tokens \(\$[\d.]+\)$/);
  const without = count(/≈ ([\d,]+) input tokens/.exec((await fine.estimate.textContent())!)![1]);
  const chipWithout = count(/≈([\d,]+) tok/.exec((await fine.tokens('release-notes.png').textContent())!)![1]);

  // From the keyboard: Space turns it on; the estimate gives both costs before anything is sent.
  await toggle.focus();
  await page.keyboard.press('Space');
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(fine.estimate).toHaveText(/with fine detail · [\d,]+ \(\$[\d.]+\) without$/);
  const estimate = estimateNumbers((await fine.estimate.textContent())!);
  expect(estimate.withoutTokens).toBe(without);
  // Eleven tiles at full resolution cost several times the whole image.
  expect(estimate.withTokens - without).toBeGreaterThan(5 * chipWithout);
  expect(estimate.withUsd).toBeGreaterThan(estimate.withoutUsd);
  const chipWith = count(/≈([\d,]+) tok/.exec((await fine.tokens('release-notes.png').textContent())!)![1]);
  expect(chipWith - chipWithout).toBe(estimate.withTokens - estimate.withoutTokens);
  await page.screenshot({ path: test.info().outputPath('tiles-staged.png') });
  // Off and on again with the mouse: the estimate follows.
  await toggle.click();
  await expect(fine.estimate).toHaveText(/^2 images ≈ [\d,]+ input tokens \(\$[\d.]+\)$/);
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');

  await slowStub(250);
  await fine.recordProgress();
  const question = 'What does the footnote at the very bottom say?';
  await chat.ask(question);
  await expect(fine.progress).toContainText(/Reading part \d+ of 11 in fine detail…/);
  // Halfway, for the screenshot: the bar fills as parts are read.
  await expect(fine.progress).toHaveAttribute('data-read', /^([4-9]|10)$/);
  await page.screenshot({ path: test.info().outputPath('tiles-reading.png') });
  await chat.waitForAnswerDone();
  await expect(chat.lastAnswer()).toHaveAttribute('data-status', 'complete');
  await expect(fine.progress).toHaveCount(0);

  // Progress was shown part by part, up to every part read.
  const seen = await fine.seenProgress();
  expect(seen.length).toBeGreaterThan(3);
  expect(seen.at(-1)).toBe('11/11');
  const reads = seen.map((s) => Number(s.split('/')[0]));
  expect([...reads].sort((a, b) => a - b)).toEqual(reads);

  // What the model was asked: eleven tiles, one image each, then the answer with both images and every note.
  const calls = await modelCalls();
  const tileCalls = calls.filter((c) => !isFinal(c));
  expect(tileCalls).toHaveLength(11);
  for (const call of tileCalls) expect(call.imageCount).toBe(1);
  // The tiles are read at the screenshot's own width, give or take the model's patch rounding; the whole image at a third of it.
  expect(Math.min(...tileCalls.map((c) => c.images[0].width!))).toBeGreaterThanOrEqual(0.95 * 1080);
  const final = calls.filter(isFinal);
  expect(final).toHaveLength(1);
  expect(final[0].imageCount).toBe(2);
  expect(final[0].images[0].width).toBeLessThan(400);
  const finalText = JSON.stringify(final[0].body);
  expect(finalText).toContain('Fine detail of image 1 (\\"release-notes.png\\", 1080 × 9000)');
  expect(finalText).toContain('[Part 11: row 11 of 11, column 1 of 1;');

  await expect(chat.lastAnswer()).toContainText('Stub answer to:');
  await expect(chat.lastAnswer().getByTestId('message-meta')).toHaveText(/^stub-vision · [\d,]+ in · [\d,]+ out · \$0\.\d+ · [\d.]+ (ms|s)$/);
  const inputTokens = count(/· ([\d,]+) in/.exec((await chat.lastAnswer().getByTestId('message-meta').textContent())!)![1]);
  // Every call is counted: at least the eleven tiles' images (85 each at the stub) and the final two.
  expect(inputTokens).toBeGreaterThan(13 * 85);
  await expect(fine.badges).toHaveCount(1);
  await expect(chat.userMessages.last().getByTestId('fine-detail-badge')).toHaveText('Fine detail');
  await page.screenshot({ path: test.info().outputPath('tiles-answer.png'), fullPage: true });

  // Stored: a reload shows the badge and the answer.
  await page.reload();
  await expect(fine.badges).toHaveCount(1);
  await expect(chat.lastAnswer()).toContainText('Stub answer to:');

  // Regenerate reads the parts again, from the cache: one new call, for the answer.
  await fine.recordProgress();
  await chat.lastAnswer().getByTestId('regenerate-button').click();
  await chat.waitForAnswerDone();
  await expect(chat.lastAnswer()).toHaveAttribute('data-status', 'complete');
  expect(await modelCalls()).toHaveLength(13);
  expect((await modelCalls()).at(-1)!.body).toMatchObject({ stream: true });
});

test('a part that cannot be read fails the answer with a clear message and Retry, and nothing half-written', async ({ page }) => {
  const chat = new ChatPage(page);
  const fine = new FineDetailPanel(page);
  await chat.open();
  await chat.attach(await releaseNotes('failing-notes.png'));
  await chat.waitForUploads();
  await fine.toggle('failing-notes.png').click();
  await chat.ask('Read the footnote [fail:500]');
  // Said once, on the answer, with Retry under it.
  await expect(page.getByTestId('message-error')).toHaveText(
    /^Reading part \d+ of 11 of "failing-notes\.png" failed, so there is no answer\. The model server failed \(HTTP 500\)\. Try again, or pick another model\.$/,
    { timeout: 20_000 },
  );
  await chat.waitForAnswerDone();
  await expect(page.getByTestId('chat-error')).toHaveCount(0);
  await expect(chat.lastAnswer()).toHaveAttribute('data-status', 'error');
  await expect(chat.lastAnswer()).not.toContainText('Stub answer');
  await expect(page.getByTestId('retry-button')).toBeVisible();
  expect((await modelCalls()).some(isFinal)).toBe(false);
  await page.screenshot({ path: test.info().outputPath('tiles-error.png') });
  await page.reload();
  await expect(page.getByTestId('message-error')).toContainText('failed, so there is no answer');
});

test('phone, dark mode: the toggle and the progress fit the screen', async ({ browser }) => {
  test.setTimeout(90_000);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, colorScheme: 'dark' });
  const page = await context.newPage();
  const chat = new ChatPage(page);
  const fine = new FineDetailPanel(page);
  await chat.open();
  await chat.attach(await releaseNotes('phone-notes.png'), await photo());
  await chat.waitForUploads();
  const toggle = fine.toggle('phone-notes.png');
  await toggle.tap();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(fine.estimate).toContainText('with fine detail');
  const box = (await toggle.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  await noSideways(page);
  await page.screenshot({ path: test.info().outputPath('tiles-phone-staged-dark.png') });

  await slowStub(300);
  await chat.ask('Which version added offline drafts?');
  await expect(fine.progress).toBeVisible();
  await noSideways(page);
  await page.screenshot({ path: test.info().outputPath('tiles-phone-reading-dark.png') });
  await chat.waitForAnswerDone();
  await expect(chat.lastAnswer()).toHaveAttribute('data-status', 'complete');
  await expect(fine.badges).toHaveCount(1);
  await noSideways(page);
  await page.screenshot({ path: test.info().outputPath('tiles-phone-answer-dark.png') });
  await context.close();
});
