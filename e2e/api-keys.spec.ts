import { expect, test, type APIResponse } from '@playwright/test';
import sharp from 'sharp';
import { formatUsd } from '../components/ui/format';
import { AuthPage, E2E_ADMIN } from './pages/auth-page';
import { SettingsPage } from './pages/settings-page';

/**
 * API keys from a person's point of view: made in Settings and shown once, used by a program
 * (here Playwright's request client, with no cookies), counted in the list with what it spent per
 * endpoint, revoked.
 */
const me = async (request: { get: (url: string, options: object) => Promise<APIResponse> }, key: string) =>
  request.get('/api/v1/me', { headers: { authorization: `Bearer ${key}` } });

test('create a key in settings, call the API with it, see it counted, revoke it', async ({ page, playwright, browser }) => {
  const email = `api-keys-${Date.now()}@example.com`;
  await new AuthPage(page).signUpOrSignIn(email, 'a long enough password');
  const settings = new SettingsPage(page);
  await settings.openFromSidebar();
  await expect(settings.empty).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('settings-empty.png') });

  // A name is needed; the form says so instead of sending nothing.
  await settings.create.click();
  await expect(settings.error).toHaveText('Give the key a name, such as the program that will use it.');

  const key = await settings.createKey('Nightly export');
  expect(key).toMatch(/^glk_[A-Za-z0-9_-]{43}$/);
  await expect(settings.page.getByTestId('api-key-reveal-note')).toContainText('You will not see it again');
  await expect(settings.key('Nightly export').getByTestId('api-key-prefix')).toHaveText(`glk_${key.slice(4, 12)}…`);
  await expect(settings.key('Nightly export').getByTestId('api-key-last-used')).toHaveText('never used');
  await page.screenshot({ path: test.info().outputPath('settings-key-revealed.png') });

  // A program: no cookies, only the key.
  const program = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  const first = await me(program, key);
  expect(first.status()).toBe(200);
  const body = (await first.json()) as { user: { id: string; email: string }; key: { id: string; name: string; prefix: string }; usage: { requestsToday: number } };
  expect(body.user.email).toBe(email);
  expect(body.key).toEqual({ id: expect.any(String), name: 'Nightly export', prefix: key.slice(4, 12) });
  expect(body.usage.requestsToday).toBe(1);
  expect(((await (await me(program, key)).json()) as typeof body).usage.requestsToday).toBe(2);
  // A question that calls the model: its tokens are the key's too.
  const photo = (await sharp({ create: { width: 64, height: 48, channels: 3, background: '#2a9d8f' } }).png().toBuffer()).toString('base64');
  const asked = await program.post('/api/v1/analyze/image', {
    headers: { authorization: `Bearer ${key}` },
    data: { image_base64: photo, prompt: `What colour is it? ${Date.now()}` },
  });
  expect(asked.status()).toBe(200);
  const { usage } = (await asked.json()) as { usage: { input_tokens: number; output_tokens: number; cost_usd: number } };
  expect(usage.cost_usd).toBeGreaterThan(0);
  // The API does not sign programs in as guests.
  expect(first.headers()['set-cookie']).toBeUndefined();

  // After a reload the key is no longer shown anywhere, only its prefix and its use.
  await settings.open();
  await expect(settings.reveal).toBeHidden();
  expect(await page.content()).not.toContain(key.slice(12));
  await expect(settings.key('Nightly export').getByTestId('api-key-requests')).toHaveText('3 requests in the last 30 days');
  const tokens = usage.input_tokens + usage.output_tokens;
  await expect(settings.key('Nightly export').getByTestId('api-key-spend')).toHaveText(`${tokens.toLocaleString('en-US')} tokens · ${formatUsd(usage.cost_usd)}`);
  const usageRows = await settings.usageRows('Nightly export');
  await expect(usageRows).toHaveCount(2);
  await expect(usageRows.nth(0)).toHaveText(['GET /api/v1/me', '2', '0', '0', '$0'].join(''));
  await expect(usageRows.nth(1)).toHaveText(['POST /api/v1/analyze/image', '1', '0', tokens.toLocaleString('en-US'), formatUsd(usage.cost_usd)].join(''));
  await expect(settings.key('Nightly export').getByTestId('api-key-last-used')).toHaveText('last used just now');
  await page.screenshot({ path: test.info().outputPath('settings-key-used.png') });

  // The admin console lists it with its owner and its requests.
  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  await new AuthPage(adminPage).signInAsAdmin();
  await adminPage.goto('/admin/api-keys');
  const row = adminPage.getByTestId('admin-api-key-row').filter({ hasText: email });
  await expect(row).toContainText('Nightly export');
  await expect(row.getByTestId('admin-api-key-requests')).toHaveText('3');
  await adminPage.screenshot({ path: test.info().outputPath('admin-api-keys.png') });
  await adminContext.close();

  await settings.revoke('Nightly export');
  const refused = await me(program, key);
  expect(refused.status()).toBe(401);
  expect(await refused.json()).toEqual({ error: { code: 'unauthorized', message: expect.stringContaining('not valid') } });
  // Without a key at all, the message says what is missing.
  const missing = await program.get('/api/v1/me');
  expect(missing.status()).toBe(401);
  expect(await missing.json()).toEqual({ error: { code: 'unauthorized', message: expect.stringContaining('no API key') } });
  await program.dispose();
});

test('an admin revokes someone’s key from the console: the program is refused, the owner sees it, the audit log says who', async ({ page, playwright, browser }) => {
  const email = `api-keys-admin-revoke-${Date.now()}@example.com`;
  await new AuthPage(page).signUpOrSignIn(email, 'a long enough password');
  const settings = new SettingsPage(page);
  await settings.open();
  const key = await settings.createKey('Leaked script');
  await settings.dismissReveal();
  const program = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  const whoAmI = await me(program, key);
  expect(whoAmI.status()).toBe(200);
  const keyId = ((await whoAmI.json()) as { key: { id: string } }).key.id;

  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  await new AuthPage(adminPage).signInAsAdmin();
  await adminPage.goto('/admin/api-keys');
  const row = adminPage.getByTestId('admin-api-key-row').filter({ hasText: email });
  // The confirmation names the key and its owner; dismissing it changes nothing.
  const confirmations: string[] = [];
  adminPage.once('dialog', (dialog) => void (confirmations.push(dialog.message()), dialog.dismiss()));
  await row.getByTestId('admin-api-key-revoke').click();
  await expect.poll(() => confirmations).toEqual([`Revoke “Leaked script” of ${email}? Programs using it stop working at once.`]);
  expect((await me(program, key)).status()).toBe(200);

  adminPage.once('dialog', (dialog) => void dialog.accept());
  await row.getByTestId('admin-api-key-revoke').click();
  await expect(row).toContainText('revoked');
  await expect(row.getByTestId('admin-api-key-revoke')).toHaveCount(0);
  await adminPage.screenshot({ path: test.info().outputPath('admin-api-key-revoked.png') });
  expect((await me(program, key)).status()).toBe(401);

  await settings.open();
  await expect(settings.key('Leaked script')).toHaveAttribute('data-status', 'revoked');
  await adminPage.goto('/admin/audit');
  await expect(adminPage.getByTestId('audit-row').filter({ hasText: keyId })).toContainText(`${E2E_ADMIN.email}revoked API key ${keyId}`);
  await adminContext.close();
  await program.dispose();
});

test('settings on a phone in dark mode: create, reveal and revoke by keyboard', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, colorScheme: 'dark' });
  const page = await context.newPage();
  await new AuthPage(page).signUpOrSignIn(`api-keys-phone-${Date.now()}@example.com`, 'a long enough password');
  const settings = new SettingsPage(page);
  await settings.open();
  await settings.createKey('Home server');
  await settings.createKey('Laptop script');
  // The reveal panel fits the screen: nothing scrolls sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: test.info().outputPath('settings-phone-dark-revealed.png'), fullPage: true });
  await settings.dismissReveal();

  // Revoke by keyboard: focus goes to Cancel first, Escape backs out, Enter on "Revoke key" revokes.
  const row = settings.key('Home server');
  await row.getByTestId('api-key-revoke').focus();
  await page.keyboard.press('Enter');
  await expect(row.getByTestId('api-key-revoke-cancel')).toBeFocused();
  await page.screenshot({ path: test.info().outputPath('settings-phone-dark-confirm.png'), fullPage: true });
  await page.keyboard.press('Escape');
  await expect(row.getByTestId('api-key-revoke-confirm')).toHaveCount(0);
  await row.getByTestId('api-key-revoke').focus();
  await page.keyboard.press('Enter');
  await row.getByTestId('api-key-revoke-confirm').focus();
  await page.keyboard.press('Enter');
  await expect(row).toHaveAttribute('data-status', 'revoked');
  await expect(settings.key('Laptop script')).toHaveAttribute('data-status', 'active');
  await page.screenshot({ path: test.info().outputPath('settings-phone-dark-revoked.png'), fullPage: true });
  await context.close();
});

test('a guest is asked to sign up, and cannot make a key through the route either', async ({ page }) => {
  const settings = new SettingsPage(page);
  await settings.open();
  await expect(settings.guestPrompt).toBeVisible();
  await expect(settings.create).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('settings-guest.png') });

  const res = await page.request.post('/api/keys', { data: { name: 'Sneaky' } });
  expect(res.status()).toBe(401);
  expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: expect.stringContaining('Sign up') } });
  expect(await (await page.request.get('/api/keys')).json()).toEqual({ keys: [] });

  await settings.guestPrompt.getByTestId('api-keys-sign-up').click();
  await expect(page).toHaveURL(/\/sign-up\?next=%2Fsettings|\/sign-up\?next=\/settings/);
});
