import { expect, type Download, type Locator, type Page } from '@playwright/test';

type Format = 'txt' | 'srt' | 'vtt';

/**
 * A recording in the conversation (its card: waveform, player, transcription, transcript), or with
 * `AudioPanel.ofVideo` a video's transcript under its timeline. The owner's chat and a shared page
 * alike: on a shared page there is no translate form (`translateInput` has no match).
 */
export class AudioPanel {
  /** The recording's card (`audio-attachment`), or the video's (`video-attachment` / `shared-video`). */
  readonly card: Locator;
  /** The `<audio>` (or `<video>`) element. */
  readonly player: Locator;
  readonly stage: Locator;
  readonly transcript: Locator;
  /** Every line of the version on show; `data-start-ms` on each, `data-active="true"` on the one playing. */
  readonly lines: Locator;
  readonly activeLine: Locator;
  readonly language: Locator;
  readonly empty: Locator;
  readonly translateInput: Locator;
  readonly translateButton: Locator;
  readonly translateProgress: Locator;
  readonly translateStop: Locator;
  readonly translateError: Locator;
  readonly originalTab: Locator;
  /** One per stored translation (not the one still arriving), `data-language` and `data-translation-id` on each. */
  readonly translationTabs: Locator;
  /** The translation tab on show, if a translation is. */
  readonly selectedTranslation: Locator;

  constructor(
    readonly page: Page,
    card: Locator = page.getByTestId('audio-attachment').last(),
  ) {
    this.card = card;
    this.player = card.locator('[data-testid="audio-player"], [data-testid="video-player"]');
    this.stage = card.getByTestId('audio-stage');
    this.transcript = card.getByTestId('transcript-panel');
    this.lines = this.transcript.getByTestId('transcript-line');
    this.activeLine = this.transcript.locator('[data-testid="transcript-line"][data-active="true"]');
    this.language = this.transcript.getByTestId('transcript-language');
    this.empty = this.transcript.getByTestId('transcript-empty');
    this.translateInput = this.transcript.getByTestId('translate-input');
    this.translateButton = this.transcript.getByTestId('translate-button');
    this.translateProgress = this.transcript.getByTestId('translate-progress');
    this.translateStop = this.transcript.getByTestId('translate-stop');
    this.translateError = this.transcript.getByTestId('translate-error');
    this.originalTab = this.transcript.getByTestId('transcript-original-tab');
    this.translationTabs = this.transcript.getByTestId('translation-tab');
    this.selectedTranslation = this.transcript.locator('[data-testid="translation-tab"][aria-pressed="true"]');
  }

  /** The transcript of the last video in the page (owner's or shared), its folded panel opened. */
  static async ofVideo(page: Page, card: Locator = page.locator('[data-testid="video-attachment"], [data-testid="shared-video"]').last()): Promise<AudioPanel> {
    const details = card.getByTestId('video-transcript');
    await expect(details).toBeVisible({ timeout: 60_000 });
    if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
    return new AudioPanel(page, card);
  }

  /** Until the recording is transcribed and its transcript (or its "no speech" note) shows. */
  async waitForTranscript(timeout = 60_000) {
    await expect(this.transcript).toBeVisible({ timeout });
  }

  /** The lines' texts, in the version on show. */
  async lineTexts(): Promise<string[]> {
    return this.lines.evaluateAll((rows) => rows.map((row) => row.lastElementChild?.textContent ?? ''));
  }

  /** Where each line starts, in milliseconds. */
  async lineStarts(): Promise<number[]> {
    return this.lines.evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-start-ms'))));
  }

  /** Types a language and asks for the translation, without waiting for it. */
  async startTranslation(language: string) {
    await this.translateInput.fill(language);
    await this.translateButton.click();
  }

  /**
   * Translates into `language` and waits until it is done and on show; returns its tab. Fails with
   * the page's message if the translation fails. A language the transcript already has is just shown.
   */
  async translate(language: string, timeout = 60_000): Promise<Locator> {
    await this.startTranslation(language);
    await expect(this.transcript).toHaveAttribute('data-translating', 'false', { timeout });
    if (await this.translateError.isVisible()) throw new Error(`Translation failed: ${await this.translateError.innerText()}`);
    await expect(this.selectedTranslation).toHaveCount(1);
    return this.selectedTranslation;
  }

  /** Shows the original, or the translation into `language` (as its tab reads, e.g. "French"). */
  async show(language: 'original' | string) {
    await (language === 'original' ? this.originalTab : this.translationTabs.filter({ hasText: language })).click();
  }

  /** Downloads the version on show in `format`. */
  async download(format: Format): Promise<Download> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.transcript.getByTestId(`download-${format}`).click()]);
    return download;
  }

  downloadSrt = () => this.download('srt');
  downloadVtt = () => this.download('vtt');
  downloadTxt = () => this.download('txt');

  /** Where the player is, in seconds. */
  async currentTime(): Promise<number> {
    return this.player.evaluate((el: HTMLMediaElement) => el.currentTime);
  }

  async expectAt(seconds: number) {
    await expect.poll(() => this.currentTime(), { timeout: 10_000 }).toBeGreaterThanOrEqual(seconds - 0.05);
    expect(await this.currentTime()).toBeLessThan(seconds + 1.5);
  }

  async pause() {
    await this.player.evaluate((el: HTMLMediaElement) => el.pause());
  }
}
