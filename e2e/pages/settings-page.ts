import { expect, type Locator, type Page } from '@playwright/test';

/** The settings page's API keys section, as an account holder uses it. */
export class SettingsPage {
  readonly nameInput: Locator;
  readonly create: Locator;
  readonly reveal: Locator;
  readonly revealedKey: Locator;
  readonly keys: Locator;
  readonly empty: Locator;
  readonly error: Locator;
  readonly guestPrompt: Locator;

  constructor(readonly page: Page) {
    this.nameInput = page.getByTestId('api-key-name-input');
    this.create = page.getByTestId('api-key-create');
    this.reveal = page.getByTestId('api-key-reveal');
    this.revealedKey = page.getByTestId('api-key-value');
    this.keys = page.getByTestId('api-key');
    this.empty = page.getByTestId('api-keys-empty');
    this.error = page.getByTestId('api-key-error');
    this.guestPrompt = page.getByTestId('api-keys-guest');
  }

  /** Through the sidebar's account panel, as a person finds it. */
  async openFromSidebar() {
    await this.page.getByTestId('settings-link').click();
    await expect(this.page).toHaveURL(/\/settings$/);
  }

  async open() {
    await this.page.goto('/settings');
  }

  /** Creates a key with the keyboard (Enter in the name field) and returns the key from the one-time panel. */
  async createKey(name: string): Promise<string> {
    await this.nameInput.fill(name);
    await this.nameInput.press('Enter');
    await expect(this.reveal).toBeVisible();
    return this.revealedKey.inputValue();
  }

  async dismissReveal() {
    await this.page.getByTestId('api-key-reveal-done').click();
    await expect(this.reveal).toBeHidden();
  }

  key(name: string): Locator {
    return this.keys.filter({ has: this.page.getByTestId('api-key-name').getByText(name, { exact: true }) });
  }

  /** Opens the key's usage per endpoint and returns its rows. */
  async usageRows(name: string): Promise<Locator> {
    const row = this.key(name);
    await row.getByTestId('api-key-usage-toggle').click();
    await expect(row.getByTestId('api-key-usage-toggle')).toHaveAttribute('aria-expanded', 'true');
    return row.getByTestId('api-key-usage-row');
  }

  async revoke(name: string) {
    const row = this.key(name);
    await row.getByTestId('api-key-revoke').click();
    await row.getByTestId('api-key-revoke-confirm').click();
    await expect(row).toHaveAttribute('data-status', 'revoked');
  }
}
