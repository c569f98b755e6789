import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { decompressionBombPng, htmlPretendingToBePng, noisy, svgImage, truncatedJpeg } from '../tests/support/images';
import { ChatPage } from './pages/chat-page';

function blobCount(): number {
  const root = path.join(process.env.E2E_DATA_DIR!, 'blobs');
  if (!fs.existsSync(root)) return 0;
  return fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
}

const cases: { name: string; file: () => Promise<Buffer> | Buffer; mimeType: string; message: RegExp }[] = [
  { name: 'empty.png', file: () => Buffer.alloc(0), mimeType: 'image/png', message: /empty/i },
  { name: 'page.png', file: htmlPretendingToBePng, mimeType: 'image/png', message: /not an image/i },
  { name: 'cut.jpg', file: truncatedJpeg, mimeType: 'image/jpeg', message: /truncated or corrupt/i },
  { name: 'bomb.png', file: decompressionBombPng, mimeType: 'image/png', message: /30000 × 30000.*limit is 50 MP/i },
  { name: 'logo.svg', file: svgImage, mimeType: 'image/svg+xml', message: /SVG images are not accepted/i },
  // Pixel-budget models refuse anything more elongated than 200:1, so the upload is refused at once.
  { name: 'banner.png', file: () => noisy(2010, 10).png().toBuffer(), mimeType: 'image/png', message: /2010 × 10, more elongated than 200:1/ },
];

for (const c of cases) {
  test(`${c.name} is refused with a clear message and leaves nothing behind`, async ({ page }) => {
    const chat = new ChatPage(page);
    const blobsBefore = blobCount();
    await chat.open();
    await chat.attach({ name: c.name, mimeType: c.mimeType, buffer: await c.file() });
    await expect(page.getByTestId('attachment-error')).toHaveText(c.message);
    await expect(chat.send).toBeDisabled();
    expect(blobCount()).toBe(blobsBefore);
    if (c.name === 'bomb.png') await page.screenshot({ path: test.info().outputPath('bad-file.png') });
  });
}

test('a file over the size limit is refused before it is uploaded', async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.open();
  const big = Buffer.alloc(21 * 1024 * 1024, 1);
  await chat.attach({ name: 'huge.jpg', mimeType: 'image/jpeg', buffer: big });
  await expect(page.getByTestId('attachment-error')).toHaveText('huge.jpg is 21.0 MB; the limit is 20.0 MB per image.');
});

// Bodies through Next's proxy are cut off at 10 MB (proxyClientMaxBodySize), half the image limit:
// uploads must not go through it.
test('a valid image between 10 MB and the 20 MB limit uploads and is ready to ask about', async ({ page }) => {
  test.setTimeout(120_000);
  const chat = new ChatPage(page);
  await chat.open();
  // Stored uncompressed: 3 bytes a pixel, about 15 MB.
  const big = await noisy(2300, 2200).png({ compressionLevel: 0 }).toBuffer();
  expect(big.length).toBeGreaterThan(12 * 1024 * 1024);
  expect(big.length).toBeLessThan(20 * 1024 * 1024);
  const blobsBefore = blobCount();
  await chat.attach({ name: 'noise.png', mimeType: 'image/png', buffer: big });
  await expect(chat.attachments).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await expect(page.getByTestId('attachment-error')).toHaveCount(0);
  await expect(page.getByTestId('attachment-tokens')).toContainText(/2300×2200 · ≈[\d,]+ tok/);
  // An image alone is enough to ask about.
  await expect(chat.send).toBeEnabled();
  expect(blobCount()).toBe(blobsBefore + 2);
});

test('an upload without the identity cookie is refused with 401, and the proxy mints none', async ({ request }) => {
  const tile = await noisy(16, 16).png().toBuffer();
  const res = await request.post('/api/uploads', { multipart: { file: { name: 'tile.png', mimeType: 'image/png', buffer: tile } } });
  expect(res.status()).toBe(401);
  expect(res.headers()['set-cookie']).toBeUndefined();
  // Nothing of a stranger's body is read: a malformed one is refused as unauthenticated too.
  const malformed = await request.post('/api/uploads', { data: { file: 'not multipart' } });
  expect(malformed.status()).toBe(401);
});

test('the server refuses an oversized upload too, stating the limit', async ({ page }) => {
  await page.goto('/');
  const res = await page.request.post('/api/uploads', {
    multipart: { file: { name: 'huge.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(21 * 1024 * 1024, 1) } },
  });
  expect(res.status()).toBe(413);
  expect((await res.json()).error.message).toMatch(/limit is 20\.0 MB/);
});

test('more images than the per-message limit are not attached', async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.open();
  const tile = await noisy(64, 64).png().toBuffer();
  const files = Array.from({ length: 11 }, (_, i) => ({ name: `tile-${i}.png`, mimeType: 'image/png', buffer: tile }));
  await chat.attach(...files);
  await expect(page.getByTestId('composer-notice')).toHaveText('You can attach up to 10 images per message; 1 not added.');
  await expect(chat.attachments).toHaveCount(10);
});

test('the chat route refuses a message with more images than the limit, and stores nothing', async ({ page }) => {
  await page.goto('/');
  const tile = await noisy(32, 32).png().toBuffer();
  const urls: string[] = [];
  for (let i = 0; i < 11; i++) {
    const res = await page.request.post('/api/uploads', { multipart: { file: { name: `t${i}.png`, mimeType: 'image/png', buffer: tile } } });
    expect(res.status()).toBe(201);
    urls.push((await res.json()).url);
  }
  const id = crypto.randomUUID();
  const res = await page.request.post('/api/chat', {
    data: { trigger: 'submit-message', id, modelId: 'compatible:stub-vision', message: { parts: [...urls.map((url) => ({ type: 'file', url })), { type: 'text', text: 'all of them' }] } },
  });
  expect(res.status()).toBe(400);
  expect((await res.json()).error.message).toBe('This message has 11 files; the limit is 10 per message.');
  expect((await page.request.get(`/api/conversations/${id}`)).status()).toBe(404);
});

test('a question the server refuses comes back to the composer with the reason', async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.open();
  const essay = 'why '.repeat(5001);
  await chat.ask(essay);
  await expect(page.getByTestId('composer-notice')).toContainText('a message can be at most 20,000 characters');
  await expect(chat.input).toHaveValue(essay.trim());
  await expect(chat.userMessages).toHaveCount(0);
  await expect(page.getByTestId('conversation-item')).toHaveCount(0);
});
