import { expect, type Locator, type Page, type Response } from '@playwright/test';

/** The chat header's Share button and its dialog, as the owner uses them. */
export class ShareDialog {
  readonly button: Locator;
  readonly dialog: Locator;
  readonly expiry: Locator;
  readonly create: Locator;
  readonly url: Locator;
  readonly liveLinks: Locator;

  /** `button`: the chat header's Share (the conversation) by default, or a video's or recording's own (`share-media-button`). */
  constructor(
    readonly page: Page,
    button: Locator = page.getByTestId('share-button'),
  ) {
    this.button = button;
    this.dialog = page.getByTestId('share-dialog');
    this.expiry = this.dialog.getByTestId('share-expiry');
    this.create = this.dialog.getByTestId('share-create');
    this.url = this.dialog.getByTestId('share-url');
    this.liveLinks = this.dialog.getByTestId('share-link');
  }

  async open() {
    await this.button.click();
    await expect(this.dialog).toBeVisible();
  }

  /** Creates a link and returns its path, /share/<token>. */
  async createLink(expiry: '' | '1' | '7' | '30' = '') {
    const before = (await this.url.count()) > 0 ? await this.url.inputValue() : '';
    await this.expiry.selectOption(expiry);
    await this.create.click();
    await expect(this.url).toBeVisible();
    await expect(this.url).not.toHaveValue(before);
    return new URL(await this.url.inputValue()).pathname;
  }

  async close() {
    await this.page.keyboard.press('Escape');
    await expect(this.dialog).toBeHidden();
  }
}

/** The public page of a share link, as a viewer sees it. */
export class SharedPage {
  readonly title: Locator;
  readonly userMessages: Locator;
  readonly assistantMessages: Locator;
  readonly images: Locator;
  readonly continueCopy: Locator;
  readonly signUpToContinue: Locator;
  readonly unavailable: Locator;

  constructor(readonly page: Page) {
    this.title = page.getByTestId('shared-title');
    this.userMessages = page.getByTestId('message-user');
    this.assistantMessages = page.getByTestId('message-assistant');
    this.images = page.getByTestId('message-image');
    this.continueCopy = page.getByTestId('continue-copy');
    this.signUpToContinue = page.getByTestId('continue-sign-up');
    this.unavailable = page.getByTestId('share-not-found');
  }

  async open(path: string): Promise<Response | null> {
    return this.page.goto(path);
  }

  meta(property: string): Locator {
    return this.page.locator(`meta[property="${property}"], meta[name="${property}"]`);
  }

  /** Whether an <img> actually decoded (a 404 leaves naturalWidth at 0). */
  async imageLoaded(image: Locator): Promise<boolean> {
    await expect(image).toBeVisible();
    return image.evaluate(async (img: HTMLImageElement) => {
      await img.decode().catch(() => undefined);
      return img.complete && img.naturalWidth > 0;
    });
  }
}

/**
 * A video on a shared page: summary and timeline, and either the player (once its metadata-free
 * playback copy exists) or the poster and a note saying playback is not available yet.
 */
export class SharedVideoPanel {
  readonly root: Locator;
  readonly player: Locator;
  readonly poster: Locator;
  readonly note: Locator;
  readonly summary: Locator;
  readonly scenes: Locator;
  readonly activeScene: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('shared-video').last();
    this.player = this.root.getByTestId('video-player');
    this.poster = this.root.getByTestId('video-poster');
    this.note = this.root.getByTestId('video-playback-note');
    this.summary = this.root.getByTestId('video-summary');
    this.scenes = this.root.getByTestId('video-timeline').getByTestId('video-scene');
    this.activeScene = this.scenes.and(page.locator('[data-active="true"]'));
  }

  /** Each scene's thumbnail, scrolled to (they load lazily) and decoded. */
  async expectThumbnailsLoaded() {
    for (const scene of await this.scenes.all()) {
      await scene.scrollIntoViewIfNeeded();
      const thumb = scene.locator('img');
      await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    }
  }
}

/** /shared: every link the signed-in person made. */
export class SharedLinksPage {
  readonly links: Locator;

  constructor(readonly page: Page) {
    this.links = page.getByTestId('share-link');
  }

  async openFromSidebar() {
    await this.page.getByTestId('shared-links-link').click();
    await expect(this.page).toHaveURL(/\/shared$/);
  }

  /** The row of the link with this path (/share/<token>), whatever its status. */
  link(path: string): Locator {
    return this.links.and(this.page.locator(`[data-url="${path}"]`));
  }

  async revoke(path: string) {
    await this.link(path).getByTestId('share-revoke').click();
    await expect(this.link(path)).toHaveAttribute('data-status', 'revoked');
  }
}
