import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import sharp from 'sharp';
import type { BatchItemView, BatchSummary } from '../lib/batch/types';
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
      // The width too, so more photos than colours still differ.
      buffer: i === 0 ? await landscapeJpeg(800, 534) : await photoWithGps(640 + Math.floor(i / colours.length), 480, colours[i % colours.length]),
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

/** Screenshots wait for the thumbnails in view (they load lazily, as they come into view). */
async function thumbnailsLoaded(page: Page) {
  await page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLImageElement>('[data-testid="batch-row"] img')]
      .filter((img) => img.getBoundingClientRect().top < window.innerHeight)
      .every((img) => img.complete && img.naturalWidth > 0),
  );
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
  await batch.removeLastWithKeyboard();
  await expect(batch.files).toHaveCount(5);
  await expect(batch.file('notes.png')).toHaveCount(0);
  await expect(batch.file('photo-5.jpg').getByTestId('batch-file-remove')).toBeFocused();
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
  test.skip(!(await slowStub(3000)), 'the stub model has no POST /__config to slow its calls');
  try {
    const batch = new BatchPage(page);
    await batch.open();
    // More than twice what the model limiter lets run at once (MODEL_CONCURRENCY, 10 by default): the
    // cancel lands while the second wave is in flight (3 s each), with the last images not started.
    const images = await photos(24, 'slow');
    await batch.addFiles(...images);
    await batch.waitForUploads();
    await batch.prompt.fill('Describe this image in one sentence.');
    await batch.startBatch();

    await expect(page.getByTestId('batch-status')).toHaveText('Running');
    await expect(batch.rows.and(page.locator('[data-status="running"]')).first()).toBeVisible({ timeout: 20_000 });
    await expect(batch.count('succeeded')).not.toHaveText('0', { timeout: 20_000 });
    await page.screenshot({ path: test.info().outputPath('batch-running-light.png') });
    await batch.act('cancel');
    await batch.waitForStatus('canceled');
    await expect(page.getByTestId('batch-canceled-note')).toBeVisible();
    // The worker notices the cancel within a second and keeps answers that arrive until then; the page reads the items again after 2 s.
    await page.waitForTimeout(2500);
    const finished = Number(await batch.count('succeeded').textContent());
    const left = Number(await batch.count('pending').textContent());
    expect(finished).toBeGreaterThan(0);
    expect(left).toBeGreaterThan(0);
    expect(finished + left).toBe(24);
    await expect(batch.count('running')).toHaveText('0');
    const callsAtCancel = await modelCalls();

    await slowStub(0);
    await batch.act('resume');
    await batch.waitForStatus('completed');
    await expect(batch.count('succeeded')).toHaveText('24');
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

/** A batch summary as the API sends it, for pages shown with answers made up here. */
function summary(id: string, items: BatchItemView[], status: BatchSummary['status'], extra: Partial<BatchSummary> = {}): BatchSummary {
  const count = (s: BatchItemView['status']) => items.filter((i) => i.status === s).length;
  return {
    id,
    prompt: PROMPT,
    modelId: 'compatible:stub-vision',
    modelLabel: 'stub-vision',
    detail: 'auto',
    columns: [
      { name: 'label', type: 'text' },
      { name: 'count', type: 'number' },
    ],
    status,
    error: null,
    counts: { total: items.length, pending: count('pending'), running: count('running'), succeeded: count('succeeded'), failed: count('failed') },
    cachedCount: items.filter((i) => i.cached).length,
    costUsd: items.reduce((sum, i) => sum + (i.costUsd ?? 0), 0),
    throughputPerMinute: null,
    etaSeconds: null,
    createdAt: new Date().toISOString(),
    startedAt: new Date().toISOString(),
    finishedAt: null,
    ...extra,
  };
}

const sse = (...events: unknown[]) => events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('');

test('a 500-image batch streams in and its long table stays usable', async ({ page }) => {
  const id = randomUUID();
  const pending: BatchItemView[] = Array.from({ length: 500 }, (_, i) => ({
    id: randomUUID(),
    index: i,
    mediaId: randomUUID(),
    filename: `IMG_${String(i + 1).padStart(4, '0')}.jpg`,
    status: 'pending',
    text: null,
    result: null,
    error: null,
    cached: false,
    costUsd: null,
    latencyMs: null,
  }));
  const done = (item: BatchItemView): BatchItemView =>
    item.index % 50 === 49
      ? { ...item, status: 'failed', error: `The model server failed (HTTP 500) for ${item.filename}.` }
      : { ...item, status: 'succeeded', result: { label: `Label ${item.index + 1}`, count: item.index + 1 }, cached: item.index < 20, costUsd: item.index < 20 ? 0 : 0.00004, latencyMs: 900 };
  const half = pending.map((item) => (item.index < 250 ? done(item) : item.index < 258 ? { ...item, status: 'running' as const } : item));
  const all = half.map((item) => (item.index >= 250 ? done(item) : item));
  const thumbnail = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#0c8599' } }).webp().toBuffer();

  // The page opens on a batch half done; the stream answers once the test has looked at that.
  await page.route(`**/api/batches/${id}`, (route) => route.fulfill({ json: { batch: summary(id, half, 'running', { throughputPerMinute: 240, etaSeconds: 62 }), items: half } }));
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(`**/api/batches/${id}/events`, async (route) => {
    await released;
    await route.fulfill({
      headers: { 'content-type': 'text/event-stream' },
      body: sse(
        { batch: summary(id, half, 'running', { throughputPerMinute: 240, etaSeconds: 62 }), items: half },
        { batch: summary(id, all, 'completed', { finishedAt: new Date(Date.now() + 125_000).toISOString() }), items: all.slice(250) },
      ),
    });
  });
  await page.route('**/api/media/*', (route) => route.fulfill({ body: thumbnail, headers: { 'content-type': 'image/webp' } }));

  const batch = new BatchPage(page);
  await page.goto(`/batch/${id}`);
  await batch.waitForStatus('running');
  await expect(page.getByTestId('batch-done')).toHaveText('250 of 500 images done');
  await expect(page.getByTestId('batch-throughput')).toHaveText('240 images/min');
  await expect(page.getByTestId('batch-eta')).toHaveText('about 1 min');
  await expect(page.getByTestId('batch-cancel')).toBeVisible();
  await expect(page.getByTestId('batch-export-csv')).toHaveAttribute('href', `/api/batches/${id}/export?format=csv`);
  await expect(batch.rows).toHaveCount(500);
  await thumbnailsLoaded(page);
  await page.screenshot({ path: test.info().outputPath('batch-running-light.png') });

  const started = Date.now();
  release();
  await batch.waitForStatus('completed');
  await expect(batch.rows).toHaveCount(500);
  test.info().annotations.push({ type: 'timing', description: `the rest of 500 rows streamed in and drawn in ${Date.now() - started} ms` });
  await expect(batch.count('succeeded')).toHaveText('490');
  await expect(batch.count('failed')).toHaveText('10');
  await expect(page.getByTestId('batch-cached')).toHaveText('20 from cache (free)');
  await expect(page.getByTestId('batch-duration')).toHaveText('2 min 5 s');
  await expect(page.getByTestId('batch-retry-failed')).toHaveText('Retry 10 failed');

  const last = batch.value('IMG_0499.jpg', 'label');
  await last.scrollIntoViewIfNeeded();
  await expect(last).toHaveText('Label 499');
  await expect(batch.value('IMG_0499.jpg', 'count')).toHaveText('499');

  await batch.showOnly('failed');
  await expect(batch.rows).toHaveCount(10);
  await expect(batch.row('IMG_0050.jpg').getByTestId('batch-row-error')).toHaveText('The model server failed (HTTP 500) for IMG_0050.jpg.');
  // Arrow keys move between the filters.
  await page.getByTestId('batch-filter-failed').press('ArrowLeft');
  await expect(page.getByTestId('batch-filter-all')).toBeFocused();
  await expect(batch.rows).toHaveCount(500);
});

test('a dropped progress stream is reconnected with backoff, and the page catches up', async ({ page }) => {
  const batch = new BatchPage(page);
  await batch.open();
  await batch.addFiles(...(await photos(2, 'reconnect')));
  await batch.waitForUploads();
  await stageColumnsBatch(batch);
  const id = await batch.startBatch();
  await batch.waitForStatus('completed');

  // Seen again as if it were still running when the page loaded, with the stream down twice.
  let attempts = 0;
  await page.route(`**/api/batches/${id}/events`, (route) => (++attempts <= 2 ? route.abort() : route.continue()));
  await page.route(`**/api/batches/${id}`, async (route) => {
    const view = (await (await route.fetch()).json()) as { batch: BatchSummary; items: BatchItemView[] };
    const items = view.items.map((item) => ({ ...item, status: 'pending' as const, result: null, costUsd: null }));
    await route.fulfill({ json: { batch: summary(id, items, 'running'), items } });
  });
  await page.reload();
  await expect(page.getByTestId('batch-reconnecting')).toHaveText('Reconnecting…');
  await expect(batch.count('pending')).toHaveText('2');
  await page.screenshot({ path: test.info().outputPath('batch-reconnecting-light.png') });
  await batch.waitForStatus('completed', 15_000);
  await expect(page.getByTestId('batch-reconnecting')).toHaveCount(0);
  expect(attempts).toBeGreaterThanOrEqual(3);
  await expect(batch.value('reconnect-2.jpg', 'label')).toHaveText('Stub label');
});
