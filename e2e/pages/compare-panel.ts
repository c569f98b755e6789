import { expect, type Locator, type Page } from '@playwright/test';

/**
 * Comparing images: the composer's Compare button (and the reason it gives when it cannot), the
 * images picked from the conversation, and the comparison table of the latest answer, in the
 * owner's chat, on a shared page or in the admin console alike.
 */
export class ComparePanel {
  readonly button: Locator;
  readonly reason: Locator;
  readonly pickButtons: Locator;
  /** The latest answer's comparison. */
  readonly root: Locator;
  readonly table: Locator;
  readonly imageColumns: Locator;
  readonly rows: Locator;
  readonly similarities: Locator;
  readonly recommendation: Locator;

  constructor(readonly page: Page) {
    this.button = page.getByTestId('compare-button');
    this.reason = page.getByTestId('compare-reason');
    this.pickButtons = page.getByTestId('pick-image');
    this.root = page.getByTestId('comparison').last();
    this.table = this.root.getByTestId('comparison-table');
    this.imageColumns = this.table.getByTestId('comparison-image-column');
    this.rows = this.table.getByTestId('comparison-row');
    this.similarities = this.root.getByTestId('comparison-similarities').getByRole('listitem');
    this.recommendation = this.root.getByTestId('comparison-recommendation');
  }

  /** Compares the attached images, with `question` as the question (none: the default one). */
  async compare(question = '') {
    if (question) await this.page.getByTestId('composer-input').fill(question);
    await expect(this.button).toHaveAttribute('aria-disabled', 'false');
    await this.button.click();
  }

  async waitForComplete(timeout = 30_000) {
    await expect(this.root).toHaveAttribute('data-state', 'complete', { timeout });
  }

  /**
   * Starts noting every state the comparison shows and how many rows it has, as the page renders
   * them (a MutationObserver in the page): streaming happens faster than a test could poll it.
   */
  async recordProgress() {
    await this.page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { comparisonProgress: string[] }).comparisonProgress = seen;
      const note = () => {
        const root = [...document.querySelectorAll('[data-testid="comparison"]')].at(-1);
        const entry = root ? `${root.getAttribute('data-state')}:${root.querySelectorAll('[data-testid="comparison-row"]').length}` : 'none';
        if (seen.at(-1) !== entry) seen.push(entry);
      };
      new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
    });
  }

  /** What recordProgress saw, e.g. ["none", "streaming:0", "streaming:1", …, "complete:3"]. */
  progress(): Promise<string[]> {
    return this.page.evaluate(() => (window as unknown as { comparisonProgress: string[] }).comparisonProgress);
  }

  /** Whether each header thumbnail decoded (a broken image URL leaves naturalWidth at 0). */
  async thumbnailsLoaded(): Promise<boolean[]> {
    const thumbs = await this.imageColumns.locator('img').all();
    return Promise.all(
      thumbs.map((img) =>
        img.evaluate(async (el: HTMLImageElement) => {
          await el.decode().catch(() => undefined);
          return el.complete && el.naturalWidth > 0;
        }),
      ),
    );
  }
}
