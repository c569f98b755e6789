import { readFile } from 'node:fs/promises';
import { expect, type Locator, type Page } from '@playwright/test';
import type { FileSpec } from './chat-page';

type BatchStatus = 'queued' | 'running' | 'completed' | 'canceled' | 'failed';
type ItemCount = 'succeeded' | 'failed' | 'running' | 'pending';

/** The batch pages as a person uses them: stage images, write the prompt and columns, start, watch, act, export. */
export class BatchPage {
  readonly files: Locator;
  readonly prompt: Locator;
  readonly start: Locator;
  readonly startReason: Locator;
  readonly progress: Locator;
  readonly rows: Locator;

  constructor(readonly page: Page) {
    this.files = page.getByTestId('batch-file');
    this.prompt = page.getByTestId('batch-prompt');
    this.start = page.getByTestId('batch-start');
    this.startReason = page.getByTestId('batch-start-reason');
    this.progress = page.getByTestId('batch-progress');
    this.rows = page.getByTestId('batch-row');
  }

  // ── The new-batch page ──

  async open() {
    await this.page.goto('/batch');
  }

  async addFiles(...files: FileSpec[]) {
    await this.page.getByTestId('batch-file-input').setInputFiles(files);
  }

  /** Everything under a folder on disk, as the folder picker gives it. */
  async addFolder(directory: string) {
    await this.page.getByTestId('batch-folder-input').setInputFiles(directory);
  }

  /** The staged file's tile (`data-state`: waiting, uploading, ready, error). */
  file(filename: string): Locator {
    return this.files.filter({ has: this.page.getByTitle(filename, { exact: true }) });
  }

  fileError(filename: string): Locator {
    return this.file(filename).getByTestId('batch-file-error');
  }

  /** With the keyboard: the grid is one tab stop, End goes to the last image, Delete removes it. */
  async removeLastWithKeyboard() {
    await this.files.first().getByTestId('batch-file-remove').focus();
    await this.page.keyboard.press('End');
    await this.page.keyboard.press('Delete');
  }

  async waitForUploads(timeout = 30_000) {
    await expect(this.files.and(this.page.locator('[data-state="waiting"], [data-state="uploading"]'))).toHaveCount(0, { timeout });
  }

  async addColumn(name: string, type: 'text' | 'number' | 'boolean' | 'list', description = '') {
    await this.page.getByTestId('batch-column-add').click();
    const row = this.page.getByTestId('batch-column').last();
    await row.getByTestId('batch-column-name').fill(name);
    await row.getByTestId('batch-column-type').selectOption(type);
    if (description) await row.getByTestId('batch-column-description').fill(description);
  }

  /** Presses Start and waits for the new batch's page; returns its id. */
  async startBatch(): Promise<string> {
    await expect(this.start).toBeEnabled();
    await this.start.click();
    await this.page.waitForURL(/\/batch\/[0-9a-f-]{36}$/);
    return this.batchId();
  }

  // ── A batch's page ──

  batchId(): string {
    const match = /\/batch\/([0-9a-f-]{36})$/.exec(this.page.url());
    if (!match) throw new Error(`not on a batch page: ${this.page.url()}`);
    return match[1];
  }

  async waitForStatus(status: BatchStatus, timeout = 60_000) {
    await expect(this.progress).toHaveAttribute('data-status', status, { timeout });
  }

  count(kind: ItemCount): Locator {
    return this.page.getByTestId(`batch-count-${kind}`);
  }

  /** The results row of one image (`data-status`: pending, running, succeeded, failed). */
  row(filename: string): Locator {
    return this.rows.and(this.page.locator(`[data-filename="${filename}"]`));
  }

  /** A column's value in an image's row. */
  value(filename: string, column: string): Locator {
    return this.row(filename).locator(`[data-testid="batch-row-value"][data-column="${column}"]`);
  }

  async act(action: 'cancel' | 'resume' | 'retry-failed') {
    await this.page.getByTestId(`batch-${action}`).click();
  }

  async showOnly(filter: 'all' | 'failed') {
    await this.page.getByTestId(`batch-filter-${filter}`).click();
  }

  /** Clicks an export button and returns the downloaded file's name and text. */
  async download(format: 'csv' | 'json'): Promise<{ filename: string; text: string }> {
    const [file] = await Promise.all([this.page.waitForEvent('download'), this.page.getByTestId(`batch-export-${format}`).click()]);
    return { filename: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
  }
}
