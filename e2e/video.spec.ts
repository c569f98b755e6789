import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { clipWithCuts } from '../tests/support/videos';
import { ChatPage } from './pages/chat-page';
import { VideoPanel } from './pages/video-panel';
import { resetStub, stubRequests } from './support/stub';

let scenes: Buffer;
let cutsMs: number[];

/** 7.6 s of six unrelated scenes cut at irregular times; its only keyframe is the first frame. */
test.beforeAll(async () => {
  const clip = await clipWithCuts(await mkdtemp(path.join(os.tmpdir(), 'glimpse-e2e-video-')));
  scenes = await readFile(clip.file);
  cutsMs = clip.cutsMs;
});

test.beforeEach(async () => {
  await resetStub();
});

test('a video: upload, processing pushed live, timeline, a question, and a cited moment that seeks the player', async ({ page }) => {
  const chat = new ChatPage(page);
  // Every progress event the page receives, as the app's EventSource sees it.
  await page.addInitScript(() => {
    const Native = window.EventSource;
    const seen: string[] = ((window as unknown as { progressEvents: string[] }).progressEvents = []);
    window.EventSource = class extends Native {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        this.addEventListener('message', (event) => seen.push(event.data));
      }
    };
  });
  const progressEvents = () => page.evaluate(() => (window as unknown as { progressEvents: string[] }).progressEvents);
  await chat.open();
  await chat.attach({ name: 'scenes.mp4', mimeType: 'video/mp4', buffer: scenes });
  await chat.waitForUploads();
  // While captions are made the chip says so, and Send waits.
  await expect(page.getByTestId('video-stage')).toContainText(/Describing scenes/, { timeout: 30_000 });
  await expect(page.getByTestId('composer-video-wait')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('video-processing.png') });
  await expect(page.getByTestId('composer-video-wait')).toHaveCount(0, { timeout: 60_000 });

  // Progress came as events: running stages with partial progress, then success.
  await expect.poll(async () => (await progressEvents()).join('\n')).toContain('"status":"succeeded"');
  const events = (await progressEvents()).map((data) => JSON.parse(data));
  expect(events.some((e) => e.status === 'running' && e.progress > 0 && e.progress < 1)).toBe(true);
  expect(events.at(-1)).toMatchObject({ status: 'succeeded', stage: 'done', progress: 1 });

  await chat.ask('When does the scene change?');
  await chat.waitForAnswerDone();
  const video = new VideoPanel(page);
  await expect(video.player).toBeVisible();
  // A scene per cut, each starting within a second after it.
  await expect(video.scenes).toHaveCount(cutsMs.length + 1);
  const starts = await video.scenes.evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-start-ms'))));
  for (const [i, cut] of cutsMs.entries()) {
    expect(starts[i + 1] - cut).toBeGreaterThanOrEqual(0);
    expect(starts[i + 1] - cut).toBeLessThan(1000);
  }
  await expect(video.scenes.first()).toContainText('Stub scene 1 of this grid, at 00:00.');
  await expect(video.summary).toContainText(`A stub summary of a video in ${cutsMs.length + 1} scenes`);
  await page.screenshot({ path: test.info().outputPath('video-timeline.png'), fullPage: true });

  // Clicking a scene seeks the player to its start.
  await video.scenes.nth(3).click();
  await video.expectAt(starts[3] / 1000);

  // The model was sent the timeline and frames, and the answer's citation seeks the player.
  const answer = chat.lastAnswer();
  await expect(answer).toContainText('Stub answer about the video to: "When does the scene change?"');
  const link = answer.getByTestId('timestamp-link');
  await expect(link).toHaveCount(1);
  // The stub cites the second scene's start, as the timeline it was sent gives it (whole seconds).
  const seconds = Number(await link.getAttribute('data-seconds'));
  expect(seconds).toBe(Math.floor(starts[1] / 1000));
  await video.player.evaluate((el: HTMLVideoElement) => el.pause());
  // Where the click seeks, without playback moving on from there.
  await video.player.evaluate((el: HTMLVideoElement) => (el.play = () => Promise.resolve()));
  await link.click();
  // Whole seconds name the scene that starts in that second: the player goes to that scene's start.
  await expect.poll(() => video.currentTime(), { timeout: 10_000 }).toBeCloseTo(starts[1] / 1000, 1);
  await expect(video.scenes.nth(1)).toHaveAttribute('data-active', 'true');
  await page.screenshot({ path: test.info().outputPath('video-answered.png'), fullPage: true });

  const question = (await stubRequests()).filter((r) => r.path.endsWith('/chat/completions')).at(-1)!;
  const sent = JSON.stringify(question.body);
  expect(sent).toContain('Timeline (scene start–end: what is visible');
  // Six scenes, all of them relevant at most six frames: every frame goes along.
  expect(question.imageCount).toBe(cutsMs.length + 1);
});

test('a file that is not a video is refused with a clear message, whatever its name', async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.open();
  await chat.attach({ name: 'holiday.mp4', mimeType: 'video/mp4', buffer: Buffer.from('<!doctype html><title>not a video</title>') });
  await expect(page.getByTestId('attachment-error')).toHaveText('This file is not a video (it looks like text or HTML).');
  await expect(chat.attachments).toHaveAttribute('data-state', 'error');
  await page.getByTestId('attachment-remove').click();
  await expect(chat.attachments).toHaveCount(0);
});
