import { expect, type Locator, type Page } from '@playwright/test';

export interface FileSpec {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/** The chat screen as a person uses it: attach, ask, watch the answer, look at the sidebar. */
export class ChatPage {
  readonly input: Locator;
  readonly send: Locator;
  readonly stop: Locator;
  readonly attachments: Locator;
  readonly assistantMessages: Locator;
  readonly userMessages: Locator;
  readonly conversations: Locator;
  readonly modelPicker: Locator;

  constructor(readonly page: Page) {
    this.input = page.getByTestId('composer-input');
    this.send = page.getByTestId('send-button');
    this.stop = page.getByTestId('stop-button');
    this.attachments = page.getByTestId('attachment');
    this.assistantMessages = page.getByTestId('message-assistant');
    this.userMessages = page.getByTestId('message-user');
    this.conversations = page.getByTestId('conversation-item');
    this.modelPicker = page.getByTestId('model-picker');
  }

  async open(path = '/') {
    await this.page.goto(path);
  }

  async attach(...files: FileSpec[]) {
    await this.page.getByTestId('attach-input').setInputFiles(files);
  }

  async waitForUploads() {
    await expect(this.attachments.and(this.page.locator('[data-state="uploading"]'))).toHaveCount(0, { timeout: 30_000 });
  }

  async ask(question: string) {
    await this.input.fill(question);
    await expect(this.send).toBeEnabled();
    await this.send.click();
  }

  lastAnswer(): Locator {
    return this.assistantMessages.last();
  }

  async waitForAnswerDone() {
    await expect(this.lastAnswer()).not.toHaveAttribute('data-status', 'streaming', { timeout: 30_000 });
  }

  conversationId(): string {
    const match = /\/c\/([0-9a-f-]{36})/.exec(this.page.url());
    if (!match) throw new Error(`not on a conversation page: ${this.page.url()}`);
    return match[1];
  }
}
