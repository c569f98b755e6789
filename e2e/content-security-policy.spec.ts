import { expect, test, type Page } from '@playwright/test';
import { photoWithGps } from '../tests/support/images';
import { ChatPage } from './pages/chat-page';
import { resetStub } from './support/stub';

/** Every CSP violation the page reports, collected from the moment it starts loading. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __violations: string[] }).__violations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  return () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
}

test('every page runs under a strict policy, and nothing of ours breaks it', async ({ page }) => {
  await resetStub();
  const violations = await watchViolations(page);
  const chat = new ChatPage(page);
  await chat.open();
  await chat.attach({ name: 'csp.jpg', mimeType: 'image/jpeg', buffer: await photoWithGps(300, 200, '#2b8a3e') });
  await chat.waitForUploads();
  await chat.ask('Under the policy');
  await chat.waitForAnswerDone();
  await expect(chat.userMessages.getByTestId('message-image')).toBeVisible();
  const id = chat.conversationId();
  const { url } = (await (await page.request.post(`/api/conversations/${id}/share`, { data: {} })).json()) as { url: string };

  const nonces = new Set<string>();
  for (const path of ['/', `/c/${id}`, '/settings', '/shared', '/batch', '/api-docs', '/sign-in', '/sign-up', url, '/no-such-page']) {
    const response = await page.goto(path);
    const policy = response!.headers()['content-security-policy'] ?? '';
    for (const directive of ["default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'", "img-src 'self' blob: data:"]) {
      expect(policy, `${path}: ${directive}`).toContain(directive);
    }
    nonces.add(/'nonce-([^']+)'/.exec(policy)?.[1] ?? '');
    // The page works: its scripts ran (React hydrated) and nothing was blocked.
    await expect(page.locator('body')).not.toBeEmpty();
    await page.waitForLoadState('networkidle');
    expect(await violations(), `${path} breaks its own policy`).toEqual([]);
  }
  expect(nonces.size, 'a fresh nonce per response').toBe(10);
  expect(nonces.has('')).toBe(false);

  // What an injected answer would try: an inline handler does not run.
  await page.goto(`/c/${id}`);
  await page.evaluate(() => {
    document.body.insertAdjacentHTML('beforeend', '<img src="/nothing.png" onerror="window.__ran = true">');
  });
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (window as unknown as { __ran?: boolean }).__ran)).toBeUndefined();
  expect((await violations()).some((v) => v.startsWith('script-src'))).toBe(true);

  // JSON and media say nothing may run or frame them.
  const api = await page.request.get(`/api/conversations/${id}`);
  expect(api.headers()['content-security-policy']).toContain("default-src 'none'");
  expect(api.headers()['x-frame-options']).toBe('DENY');
});
