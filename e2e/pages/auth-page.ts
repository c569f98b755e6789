import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, type Page } from '@playwright/test';

/**
 * The one admin account of the e2e runs. Signing up under an address makes no admin (ADMIN_EMAILS
 * waits for a verified address, and the e2e app sends no mail): the operator's command does.
 */
export const E2E_ADMIN = { email: 'admin@glimpse.test', password: 'administrator password' };

let adminGranted = false;

/** `npm run admin -- grant` against the e2e app's database, as an operator would run it. */
async function grantE2eAdmin() {
  if (adminGranted) return;
  const databaseUrl = process.env.E2E_DATABASE_URL ?? process.env.DATABASE_URL ?? '';
  await promisify(execFile)('npx', ['tsx', 'scripts/admin.ts', 'grant', E2E_ADMIN.email], {
    env: { ...process.env, DATABASE_URL: databaseUrl, DATA_DIR: process.env.E2E_DATA_DIR },
  });
  adminGranted = true;
}

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

  /** Signs in as the e2e admin (signing up first if need be) and makes sure the account is one. */
  async signInAsAdmin() {
    await this.signUpOrSignIn(E2E_ADMIN.email, E2E_ADMIN.password);
    if (adminGranted) return;
    await grantE2eAdmin();
    // The page was rendered for an ordinary account.
    await this.page.reload();
  }

  private async fill(email: string, password: string) {
    await this.page.getByTestId('auth-email').fill(email);
    await this.page.getByTestId('auth-password').fill(password);
    await this.page.getByTestId('auth-submit').click();
  }
}
