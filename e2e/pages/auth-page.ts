import type { Page } from '@playwright/test';

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

  private async fill(email: string, password: string) {
    await this.page.getByTestId('auth-email').fill(email);
    await this.page.getByTestId('auth-password').fill(password);
    await this.page.getByTestId('auth-submit').click();
  }
}
