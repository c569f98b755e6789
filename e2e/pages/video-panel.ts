import { expect, type Locator, type Page } from '@playwright/test';

/** A video in the conversation: its player, processing state and timeline of scenes. */
export class VideoPanel {
  readonly player: Locator;
  readonly timeline: Locator;
  readonly scenes: Locator;
  readonly summary: Locator;

  constructor(readonly page: Page) {
    this.player = page.getByTestId('video-player').last();
    this.timeline = page.getByTestId('video-timeline').last();
    this.scenes = this.timeline.getByTestId('video-scene');
    this.summary = page.getByTestId('video-summary').last();
  }

  /** Where the player is, in seconds. */
  async currentTime(): Promise<number> {
    return this.player.evaluate((el: HTMLVideoElement) => el.currentTime);
  }

  async expectAt(seconds: number) {
    await expect.poll(() => this.currentTime(), { timeout: 10_000 }).toBeGreaterThanOrEqual(seconds - 0.05);
    expect(await this.currentTime()).toBeLessThan(seconds + 1.5);
  }
}
