import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { ChatPage } from './pages/chat-page';
import { VideoPanel } from './pages/video-panel';
import { resetStub, stubRequests } from './support/stub';

const run = promisify(execFile);
let scenes: Buffer;

/** 8 s, a hard cut every 2 s between differently tinted test patterns; keyframes only every 10 s. */
test.beforeAll(async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-e2e-video-'));
  const file = path.join(dir, 'scenes.mp4');
  const hues = [0, 90, 180, 270];
  const inputs = hues.flatMap((h) => ['-f', 'lavfi', '-i', `testsrc2=size=480x270:rate=25:duration=2,hue=h=${h}`]);
  const concat = `${hues.map((_, i) => `[${i}:v]`).join('')}concat=n=${hues.length}:v=1:a=0[v]`;
  await run('ffmpeg', ['-v', 'error', '-y', ...inputs, '-filter_complex', concat, '-map', '[v]', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '250', '-sc_threshold', '0', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', file]);
  scenes = await readFile(file);
});

test.beforeEach(async () => {
  await resetStub();
});

test('a video: upload, processing pushed live, timeline, a question, and a cited moment that seeks the player', async ({ page }) => {
  const chat = new ChatPage(page);
  const progressEvents: string[] = [];
  page.on('response', async (response) => {
    if (/\/api\/videos\/[^/]+\/events$/.test(new URL(response.url()).pathname)) progressEvents.push(await response.text().catch(() => ''));
  });
  await chat.open();
  await chat.attach({ name: 'scenes.mp4', mimeType: 'video/mp4', buffer: scenes });
  await chat.waitForUploads();
  await expect(page.getByTestId('composer-video-wait')).toHaveCount(0, { timeout: 60_000 });

  // Progress came as events: running stages with partial progress, then success.
  await expect.poll(() => progressEvents.join('\n')).toContain('"status":"succeeded"');
  const events = progressEvents.join('\n').split('\n').filter((l) => l.startsWith('data: ')).map((l) => JSON.parse(l.slice(6)));
  expect(events.some((e) => e.status === 'running' && e.progress > 0 && e.progress < 1)).toBe(true);
  expect(events.at(-1)).toMatchObject({ status: 'succeeded', stage: 'done', progress: 1 });

  await chat.ask('When does the scene change?');
  await chat.waitForAnswerDone();
  const video = new VideoPanel(page);
  await expect(video.player).toBeVisible();
  await expect(video.scenes).toHaveCount(4);
  await expect(video.scenes.first()).toContainText('Stub scene 1 of this grid, at 00:00.');
  await expect(video.summary).toContainText('A stub summary of a video in 4 scenes');
  await page.screenshot({ path: test.info().outputPath('video-timeline.png'), fullPage: true });

  // Clicking a scene seeks the player to its start.
  const third = video.scenes.nth(2);
  const thirdStart = Number(await third.getAttribute('data-start-ms')) / 1000;
  expect(thirdStart).toBeGreaterThanOrEqual(4);
  await third.click();
  await video.expectAt(thirdStart);

  // The model was sent the timeline and frames, and the answer's citation seeks the player.
  const answer = chat.lastAnswer();
  await expect(answer).toContainText('Stub answer about the video to: "When does the scene change?"');
  const link = answer.getByTestId('timestamp-link');
  await expect(link).toHaveCount(1);
  const seconds = Number(await link.getAttribute('data-seconds'));
  expect(seconds).toBeGreaterThanOrEqual(2);
  expect(seconds).toBeLessThan(3);
  await video.player.evaluate((el: HTMLVideoElement) => el.pause());
  await link.click();
  await video.expectAt(seconds);
  await page.screenshot({ path: test.info().outputPath('video-answered.png'), fullPage: true });

  const question = (await stubRequests()).filter((r) => r.path.endsWith('/chat/completions')).at(-1)!;
  const sent = JSON.stringify(question.body);
  expect(sent).toContain('Timeline (scene start–end: what is visible)');
  expect(question.imageCount).toBe(4);
});

test('a file that is not a video is refused with a clear message, whatever its name', async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.open();
  await chat.attach({ name: 'holiday.mp4', mimeType: 'video/mp4', buffer: Buffer.from('<!doctype html><title>not a video</title>') });
  await expect(page.getByTestId('attachment-error')).toContainText(/not a video/i);
  await expect(chat.attachments).toHaveCount(0);
});
