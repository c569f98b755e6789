import { expect, type Page } from '@playwright/test';

/** The one admin account of the e2e runs: its address is in ADMIN_EMAILS (playwright.config.ts). */
export const E2E_ADMIN = { email: 'admin@glimpse.test', password: 'administrator password' };

/** The sign-up and sign-in forms. */
export class AuthPage {
  constructor(readonly page: Page) {}

  async signUp(email: string, password: string, name = 'Test Person') {
    await this.page.goto('/sign-up');
    await this.page.getByTestId('auth-name').fill(name);
    await this.fill(email, password);
  }

  async signIn(email: string, password: string) {
    await this.page.goto('/sign-in');
    await this.fill(email, password);
  }

  /** Signs up, or signs in when an earlier test already made the account; ends signed in. */
  async signUpOrSignIn(email: string, password: string) {
    await this.signUp(email, password);
    const signedIn = this.page.getByTestId('account-email');
    const refused = this.page.getByTestId('auth-error');
    await expect(signedIn.or(refused)).toBeVisible();
    if (await refused.isVisible()) {
      await expect(refused).toContainText(/already exists/i);
      await this.signIn(email, password);
    }
    await expect(signedIn).toHaveText(email);
  }

  private async fill(email: string, password: string) {
    await this.page.getByTestId('auth-email').fill(email);
    await this.page.getByTestId('auth-password').fill(password);
    await this.page.getByTestId('auth-submit').click();
  }
}
