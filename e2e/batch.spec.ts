import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { htmlPretendingToBePng, landscapeJpeg, photoWithGps } from '../tests/support/images';
import { BatchPage } from './pages/batch-page';
import type { FileSpec } from './pages/chat-page';
import { resetStub, STUB_ORIGIN, stubRequests } from './support/stub';

// "Which" makes the stub fill nullable values, as the columns are (see e2e/stub-model/json-answer.ts).
const PROMPT = 'Which label fits this image, and how many things are in it?';
const COLUMNS = ['label', 'count'];

const colours = ['#3a7bd5', '#d55a3a', '#2f9e44', '#e8590c', '#7048e8', '#0c8599', '#c2255c', '#5c940d', '#1864ab', '#e67700', '#862e9c', '#2b8a3e'];

/** Distinct small photos (distinct bytes: no two share a cache entry), the first a landscape for the screenshots. */
async function photos(count: number, prefix = 'photo'): Promise<FileSpec[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => ({
      name: `${prefix}-${i + 1}.jpg`,
      mimeType: 'image/jpeg',
      buffer: i === 0 ? await landscapeJpeg(800, 534) : await photoWithGps(640, 480, colours[i % colours.length]),
    })),
  );
}

const modelCalls = async () => (await stubRequests()).filter((r) => r.path.endsWith('/chat/completions')).length;

/** Reads the export as a spreadsheet would: quoted cells with doubled quotes, CRLF rows, a leading BOM. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted && ch === '"' && body[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (!quoted && ch === ',') {
      row.push(cell);
      cell = '';
    } else if (!quoted && ch === '\n') {
      row.push(cell.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      cell = '';
    } else {
      cell += ch;
    }
  }
  return rows;
}

async function stageColumnsBatch(batch: BatchPage) {
  await batch.prompt.fill(PROMPT);
  await batch.addColumn('label', 'text', 'A short name for what the image shows');
  await batch.addColumn('count', 'number');
}

/** Screenshots wait for the thumbnails, which load lazily. */
async function thumbnailsLoaded(page: Page) {
  await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('[data-testid="batch-row"] img')].every((img) => img.complete && img.naturalWidth > 0));
}

/** Asks the stub to take this long over each call; false when this stub cannot (no /__config). */
async function slowStub(callDelayMs: number): Promise<boolean> {
  const res = await fetch(`${STUB_ORIGIN}/__config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ callDelayMs }) });
  return res.ok;
}

test.beforeEach(async () => {
  await resetStub();
});

// Tall enough that the screenshots show whole pages (their content scrolls inside the layout, not the window).
test.use({ viewport: { width: 1280, height: 1300 } });

test('a batch with two columns: a refused file, live progress to completed, values per image, CSV and JSON exports, then a free re-run from the cache', async ({
  page,
  browser,
}) => {
  const batch = new BatchPage(page);
  const images = await photos(5);
  await batch.open();
  await expect(page.getByTestId('batch-list-empty')).toBeVisible();
  await expect(batch.start).toBeDisabled();
  await expect(batch.startReason).toHaveText('Add the images to analyse.');

  await batch.addFiles(...images, { name: 'notes.png', mimeType: 'image/png', buffer: htmlPretendingToBePng() });
  await batch.waitForUploads();
  // The server's own words for the refused file; the others are unaffected.
  await expect(batch.fileError('notes.png')).toHaveText(/notes\.png is not an image \(it looks like text or HTML\)/);
  await expect(batch.files.and(page.locator('[data-state="ready"]'))).toHaveCount(5);
  await expect(page.getByTestId('batch-files-summary')).toHaveText('5 images ready · 1 refused');
  await expect(batch.file('photo-2.jpg').getByTestId('batch-file-status')).toHaveText('640×480');
  await expect(batch.startReason).toHaveText('Write the prompt each image is asked.');

  await stageColumnsBatch(batch);
  // A second column of the same name (in another case) holds Start back and says why.
  await batch.addColumn('Label', 'text');
  await expect(page.getByTestId('batch-column-error')).toHaveText('Column 1 is already named “label”.');
  await expect(batch.startReason).toHaveText('Two columns are named “Label”.');
  await page.getByTestId('batch-column-remove').last().click();
  await batch.removeFile('notes.png');
  await expect(batch.files).toHaveCount(5);
  await expect(page.getByTestId('batch-estimate')).toContainText(/^5 images ≈ [\d,]+ input tokens \(\$0\.\d+ before the prompt and answers\)/);
  await page.screenshot({ path: test.info().outputPath('new-batch-light.png') });

  const id = await batch.startBatch();
  await batch.waitForStatus('completed');
  await expect(batch.count('succeeded')).toHaveText('5');
  await expect(batch.count('failed')).toHaveText('0');
  await expect(page.getByTestId('batch-done')).toHaveText('5 of 5 images done');
  await expect(page.getByTestId('batch-cost')).toHaveText(/^\$0\.\d+$/);
  await expect(page.getByTestId('batch-cached')).toHaveCount(0);
  await expect(page.getByTestId('batch-column-header')).toHaveText(COLUMNS);
  await expect(batch.rows).toHaveCount(5);
  for (const image of images) {
    await expect(batch.row(image.name)).toHaveAttribute('data-status', 'succeeded');
    await expect(batch.value(image.name, 'label')).toHaveText('Stub label');
    await expect(batch.value(image.name, 'count')).toHaveText('1.5');
  }
  expect(await modelCalls()).toBe(5);
  await thumbnailsLoaded(page);
  await page.screenshot({ path: test.info().outputPath('batch-completed-light.png') });

  const csv = await batch.download('csv');
  expect(csv.filename).toMatch(/\.csv$/);
  const [header, ...lines] = parseCsv(csv.text);
  expect(header.slice(0, 3)).toEqual(['filename', ...COLUMNS]);
  expect(lines).toHaveLength(5);
  expect(lines.map((l) => l[0]).sort()).toEqual(images.map((i) => i.name).sort());
  for (const line of lines) expect(line.slice(1, 3)).toEqual(['Stub label', '1.5']);

  const json = JSON.parse((await batch.download('json')).text) as { items: { filename: string; status: string; result: Record<string, unknown> }[] };
  expect(json.items).toHaveLength(5);
  for (const item of json.items) expect(item).toMatchObject({ status: 'succeeded', result: { label: 'Stub label', count: 1.5 } });

  // The same look on a phone in dark mode, for the same person.
  const phone = await browser.newContext({ storageState: await page.context().storageState(), colorScheme: 'dark', viewport: { width: 390, height: 1400 }, isMobile: true, hasTouch: true });
  const phonePage = await phone.newPage();
  await phonePage.goto(`/batch/${id}`);
  await expect(phonePage.getByTestId('batch-progress')).toHaveAttribute('data-status', 'completed');
  await expect(phonePage.getByTestId('sidebar')).not.toBeInViewport();
  await thumbnailsLoaded(phonePage);
  await phonePage.screenshot({ path: test.info().outputPath('batch-completed-phone-dark.png') });
  const phoneForm = new BatchPage(phonePage);
  await phoneForm.open();
  await phoneForm.addFiles(...images.slice(0, 3), { name: 'notes.png', mimeType: 'image/png', buffer: htmlPretendingToBePng() });
  await phoneForm.waitForUploads();
  await stageColumnsBatch(phoneForm);
  await phonePage.screenshot({ path: test.info().outputPath('new-batch-phone-dark.png') });
  await phone.close();

  // The same images under a folder (with a file that is not an image) and the same prompt and columns: all from the cache.
  const folder = await mkdtemp(path.join(os.tmpdir(), 'glimpse-batch-'));
  await Promise.all([...images.map((i) => writeFile(path.join(folder, `again-${i.name}`), i.buffer)), writeFile(path.join(folder, 'README.txt'), 'not an image')]);
  await page.getByTestId('batch-back').click();
  await expect(page.getByTestId('batch-list-item')).toHaveCount(1);
  await batch.addFolder(folder);
  await expect(page.getByTestId('batch-files-notice')).toHaveText('Skipped 1 file that is not an image.');
  await batch.waitForUploads();
  await expect(batch.files).toHaveCount(5);
  await stageColumnsBatch(batch);
  await batch.startBatch();
  await batch.waitForStatus('completed');
  await expect(page.getByTestId('batch-cached')).toHaveText('5 from cache (free)');
  await expect(page.getByTestId('batch-cost')).toHaveText('$0');
  await expect(page.getByTestId('batch-row-cached')).toHaveCount(5);
  // Named by their place in the folder, not by the folder's own path.
  await expect(batch.value('again-photo-3.jpg', 'label')).toHaveText('Stub label');
  expect(await modelCalls()).toBe(5);
});

test('cancel mid-run, then resume: the batch finishes without asking again for finished images', async ({ page }) => {
  test.skip(!(await slowStub(1500)), 'the stub model has no POST /__config to slow its calls');
  try {
    const batch = new BatchPage(page);
    await batch.open();
    // More images than the model limiter lets run at once (MODEL_CONCURRENCY, 8), so some wait their turn.
    const images = await photos(12, 'slow');
    await batch.addFiles(...images);
    await batch.waitForUploads();
    await batch.prompt.fill('Describe this image in one sentence.');
    await batch.startBatch();

    await expect(page.getByTestId('batch-status')).toHaveText('Running');
    await expect(batch.rows.and(page.locator('[data-status="running"]')).first()).toBeVisible({ timeout: 20_000 });
    await expect(batch.count('succeeded')).not.toHaveText('0', { timeout: 20_000 });
    await expect(page.getByTestId('batch-throughput')).toHaveText(/images\/min$/);
    await page.screenshot({ path: test.info().outputPath('batch-running-light.png') });
    await batch.act('cancel');
    await batch.waitForStatus('canceled');
    await expect(page.getByTestId('batch-canceled-note')).toBeVisible();
    const finished = Number(await batch.count('succeeded').textContent());
    const left = Number(await batch.count('pending').textContent());
    expect(finished).toBeGreaterThan(0);
    expect(left).toBeGreaterThan(0);
    expect(finished + left).toBe(12);
    await expect(batch.count('running')).toHaveText('0');
    const callsAtCancel = await modelCalls();

    await slowStub(0);
    await batch.act('resume');
    await batch.waitForStatus('completed');
    await expect(batch.count('succeeded')).toHaveText('12');
    // Only the images left at the cancel were asked again.
    expect((await modelCalls()) - callsAtCancel).toBe(left);
  } finally {
    await slowStub(0);
  }
});

test('every image failing does not sink the batch: the errors are listed and Retry asks again for those alone', async ({ page }) => {
  const batch = new BatchPage(page);
  await batch.open();
  await batch.addFiles(...(await photos(2, 'broken')));
  await batch.waitForUploads();
  await batch.prompt.fill('Describe this image. [fail:500]');
  await batch.startBatch();
  await batch.waitForStatus('completed');
  await expect(batch.count('failed')).toHaveText('2');
  await expect(page.getByTestId('batch-partial')).toContainText('Every image failed.');
  await batch.showOnly('failed');
  await expect(batch.rows).toHaveCount(2);
  await expect(batch.row('broken-1.jpg').getByTestId('batch-row-error')).not.toBeEmpty();
  await thumbnailsLoaded(page);
  await page.screenshot({ path: test.info().outputPath('batch-failed-light.png') });

  const calls = await modelCalls();
  await batch.act('retry-failed');
  await expect(batch.progress).not.toHaveAttribute('data-status', 'completed');
  await batch.waitForStatus('completed');
  await expect(batch.count('failed')).toHaveText('2');
  expect(await modelCalls()).toBeGreaterThan(calls);
});

/** The sidebar's Batch entry leads to the page and is marked current there. */
test('the sidebar links to batches', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('batch-link').click();
  await expect(page).toHaveURL(/\/batch$/);
  await expect(page.getByTestId('batch-link')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('heading', { name: 'Batch analysis' })).toBeVisible();
});
