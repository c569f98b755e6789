/**
 * Checks the harness itself (stub model, its control endpoints, the configured browser) without
 * the app, so `E2E_STUB_ONLY=1 npx playwright test` can tell harness failures from app failures.
 */
import { expect, test } from '@playwright/test';
import { resetStub, STUB_ORIGIN, stubRequests } from './support/stub';

test.describe('stub model harness', { tag: '@stub' }, () => {
  test.beforeEach(() => resetStub());

  test('lists the stub models and records the request', async ({ request }) => {
    const res = await request.get(`${STUB_ORIGIN}/v1/models`);
    expect(res.ok()).toBe(true);
    const { data } = await res.json();
    expect(data.map((m: { id: string }) => m.id)).toEqual(['stub-vision', 'stub-vision-2']);

    const recorded = await stubRequests();
    expect(recorded.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['GET /v1/models 200']);
  });

  test('the configured chromium launches and can reach the stub', async ({ page }) => {
    await page.goto(`${STUB_ORIGIN}/v1/models`);
    await expect(page.locator('body')).toContainText('"id":"stub-vision-2"');
  });
});
