import type { Locator, Page } from '@playwright/test';

/**
 * Fine detail: the toggle on a staged image's chip, the composer's estimate, the progress of the
 * tiles being read while the answer waits, and the badge on a question's tiled image.
 */
export class FineDetailPanel {
  readonly estimate: Locator;
  readonly progress: Locator;
  readonly badges: Locator;

  constructor(readonly page: Page) {
    this.estimate = page.getByTestId('composer-estimate');
    this.progress = page.getByTestId('tile-progress');
    this.badges = page.getByTestId('fine-detail-badge');
  }

  /** The staged image's chip, by file name. */
  chip(filename: string): Locator {
    return this.page.getByTestId('attachment').filter({ has: this.page.getByTitle(filename, { exact: true }) });
  }

  toggle(filename: string): Locator {
    return this.chip(filename).getByTestId('fine-detail-toggle');
  }

  tokens(filename: string): Locator {
    return this.chip(filename).getByTestId('attachment-tokens');
  }

  /**
   * Starts noting every progress the answer shows ("3/11"), as the page renders it (a
   * MutationObserver in the page): tiles are read faster than a test could poll.
   */
  async recordProgress() {
    await this.page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { tileProgress: string[] }).tileProgress = seen;
      const note = () => {
        const shown = document.querySelector('[data-testid="tile-progress"]');
        const entry = shown ? `${shown.getAttribute('data-read')}/${shown.getAttribute('data-total')}` : null;
        if (entry && seen.at(-1) !== entry) seen.push(entry);
      };
      new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-read'] });
    });
  }

  /** What recordProgress saw, e.g. ["0/11", "1/11", …, "11/11"]. */
  seenProgress(): Promise<string[]> {
    return this.page.evaluate(() => (window as unknown as { tileProgress: string[] }).tileProgress);
  }
}
