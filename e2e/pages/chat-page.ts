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
  /** Under the answer when its connection broke: `data-state` is reconnecting, offline or lost. */
  readonly connectionNotice: Locator;
  readonly connectionRetry: Locator;

  constructor(readonly page: Page) {
    this.input = page.getByTestId('composer-input');
    this.send = page.getByTestId('send-button');
    this.stop = page.getByTestId('stop-button');
    this.attachments = page.getByTestId('attachment');
    this.assistantMessages = page.getByTestId('message-assistant');
    this.userMessages = page.getByTestId('message-user');
    this.conversations = page.getByTestId('conversation-item');
    this.modelPicker = page.getByTestId('model-picker');
    this.connectionNotice = page.getByTestId('connection-notice');
    this.connectionRetry = page.getByTestId('connection-retry');
  }

  async open(path = '/') {
    await this.page.goto(path);
  }

  async attach(...files: FileSpec[]) {
    await this.page.getByTestId('attach-input').setInputFiles(files);
  }

  /** Uploads done, including those still in line (at most three run at once; the rest are `data-state="waiting"`). */
  async waitForUploads(timeout = 30_000) {
    await expect(this.attachments.and(this.page.locator('[data-state="uploading"], [data-state="waiting"]'))).toHaveCount(0, { timeout });
  }

  /** Staged recordings' chips (`data-kind="audio"`); `data-state` is waiting/uploading/ready/error, `data-job-status` the transcription's. */
  recordings(): Locator {
    return this.attachments.and(this.page.locator('[data-kind="audio"]'));
  }

  /** The staged file's chip (image, video or recording) by its file name. */
  attachment(filename: string): Locator {
    return this.attachments.filter({ has: this.page.getByTitle(filename, { exact: true }) });
  }

  /** Its status line: "Waiting to upload", "Uploading 40%", "Transcribing speech · 35%", "Transcript ready" (the error has its own). */
  recordingStatus(filename: string): Locator {
    return this.attachment(filename).locator('[data-testid="attachment-upload-status"], [data-testid="audio-stage"]');
  }

  /** A refused upload (`attachment-error`) or a failed transcription (`audio-error`). */
  recordingError(filename: string): Locator {
    return this.attachment(filename).locator('[data-testid="attachment-error"], [data-testid="audio-error"]');
  }

  async retryRecording(filename: string) {
    await this.attachment(filename).getByTestId('audio-retry').click();
  }

  async removeAttachment(filename: string) {
    await this.attachment(filename).getByTestId('attachment-remove').click();
  }

  /** "Wait for 2 recordings to be transcribed" above the input while Send is held for them. */
  recordingsWait(): Locator {
    return this.page.getByTestId('composer-audio-wait');
  }

  /** Every staged recording uploaded and transcribed: Send is no longer held for them. */
  async waitForTranscripts(timeout = 60_000) {
    await this.waitForUploads(timeout);
    await expect(this.recordings().and(this.page.locator(':not([data-job-status="succeeded"])'))).toHaveCount(0, { timeout });
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
