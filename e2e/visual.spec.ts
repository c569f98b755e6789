import fs from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { sentencesWithPausesOfItsOwn } from '../tests/support/audio';
import { landscapeJpeg, photoWithGps } from '../tests/support/images';
import { AudioPanel } from './pages/audio-panel';
import { ChatPage } from './pages/chat-page';
import { resetStub } from './support/stub';

/**
 * Screens people see, captured for review (test-results/) in light, dark and phone layouts.
 * UPDATE_README_SCREENSHOT=1 also refreshes docs/screenshot.png.
 */
async function staged(page: Page) {
  const chat = new ChatPage(page);
  await chat.open();
  await chat.attach(
    { name: 'lake-at-dusk.jpg', mimeType: 'image/jpeg', buffer: await landscapeJpeg() },
    { name: 'market.jpg', mimeType: 'image/jpeg', buffer: await photoWithGps(1200, 1600, '#e8590c') },
  );
  await chat.waitForUploads();
  return chat;
}

test.beforeEach(async () => {
  await resetStub();
});

test('composer with staged images shows thumbnails and token estimates', async ({ page }) => {
  await staged(page);
  await expect(page.getByTestId('attachment-tokens')).toHaveCount(2);
  await expect(page.getByTestId('composer-estimate')).toContainText(/2 images ≈ [\d,]+ input tokens \(\$0\.\d+\)/);
  await page.screenshot({ path: test.info().outputPath('staged-light.png') });
});

test('a finished answer in dark mode', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'dark' });
  const page = await context.newPage();
  const chat = await staged(page);
  await chat.ask('Compare the two scenes.');
  await chat.waitForAnswerDone();
  await page.screenshot({ path: test.info().outputPath('answer-dark.png') });
  await context.close();
});

test('phone layout: sidebar behind a button, composer usable', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const chat = await staged(page);
  await chat.ask('What is on the left?');
  await chat.waitForAnswerDone();
  await expect(page.getByTestId('sidebar')).not.toBeInViewport();
  await page.screenshot({ path: test.info().outputPath('phone.png') });
  await page.getByRole('button', { name: 'Open conversations' }).click();
  await expect(page.getByTestId('sidebar')).toBeInViewport();
  await page.screenshot({ path: test.info().outputPath('phone-sidebar.png') });
  await context.close();
});

test('a transcribed recording on a phone in dark mode: player, lines and the translate form fit the screen', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, colorScheme: 'dark' });
  const page = await context.newPage();
  const chat = new ChatPage(page);
  const speech = await sentencesWithPausesOfItsOwn(await mkdtemp(path.join(os.tmpdir(), 'glimpse-visual-audio-')), 'phone');
  await chat.open();
  await chat.attach({ name: 'voice-memo.wav', mimeType: 'audio/wav', buffer: await readFile(speech.file) });
  await chat.waitForTranscripts();
  await page.screenshot({ path: test.info().outputPath('recording-staged-phone-dark.png') });
  await chat.ask('What is said?');
  await chat.waitForAnswerDone();
  const audio = new AudioPanel(page);
  await audio.waitForTranscript();
  await audio.card.scrollIntoViewIfNeeded();
  // Nothing of the card sticks out sideways on a phone.
  const box = (await audio.card.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  await expect(audio.translateInput).toBeInViewport({ ratio: 0.5 });
  await page.screenshot({ path: test.info().outputPath('recording-phone-dark.png') });
  await context.close();
});

test('README screenshot', async ({ page }) => {
  const chat = await staged(page);
  await chat.ask('What is in these photos? Answer with a short table.');
  await chat.waitForAnswerDone();
  await page.screenshot({ path: test.info().outputPath('readme.png') });
  if (process.env.UPDATE_README_SCREENSHOT === '1') {
    fs.mkdirSync('docs', { recursive: true });
    await page.screenshot({ path: 'docs/screenshot.png' });
  }
});
