import { expect, test } from '@playwright/test';
import { stubAnswer, stubReasoning } from './stub-model/server';
import { AuthPage } from './pages/auth-page';
import { ChatPage } from './pages/chat-page';
import { configureStub, resetStub } from './support/stub';

test.beforeEach(async () => {
  await resetStub();
});

test('a thinking model’s answer shows without its reasoning, which stays folded apart', async ({ page }) => {
  // vLLM streams a thinking model's reasoning as its own delta field.
  await configureStub({ dialect: 'vllm' });
  const chat = new ChatPage(page);
  await chat.open();
  await chat.modelPicker.selectOption('compatible:stub-thinking');
  const question = 'Think it through';
  await chat.ask(question);
  await chat.waitForAnswerDone();

  const answer = chat.lastAnswer();
  const thinking = answer.getByTestId('message-thinking');
  await expect(thinking).toBeVisible();
  // Folded: the reasoning is there, but not shown until asked for.
  await expect(answer.getByTestId('message-thinking-text')).toBeHidden();
  const answerText = stubAnswer(question, 0, 'stub-thinking');
  const markdown = answer.getByTestId('message-markdown');
  await expect(markdown).toContainText(answerText.split('\n')[0]);
  await expect(markdown).not.toContainText('The stub thinks');
  await thinking.locator('summary').click();
  await expect(answer.getByTestId('message-thinking-text')).toHaveText(stubReasoning(question));
  await expect(answer.getByTestId('message-meta')).toContainText(/thinking\)/);
  await page.screenshot({ path: test.info().outputPath('thinking.png') });

  // Stored apart: after a reload the answer is the same, the reasoning still folded beside it.
  await page.reload();
  const reloaded = chat.lastAnswer();
  await expect(reloaded.getByTestId('message-thinking')).toBeVisible();
  await expect(reloaded.getByTestId('message-thinking-text')).toBeHidden();
  await expect(reloaded).toContainText(answerText.split('\n')[0]);
});

test('an admin tests the connection to each configured model and sees what works', async ({ page }) => {
  const auth = new AuthPage(page);
  await auth.signInAsAdmin();
  await page.goto('/admin/models');
  const rows = page.getByTestId('admin-model-row');
  await expect(rows).toHaveCount(5); // four vision models and the transcription model

  const vision = page.locator('[data-testid="connection-test"][data-model="compatible:stub-vision"]');
  await vision.getByTestId('connection-test-run').click();
  const report = vision.getByTestId('connection-report');
  await expect(report).toHaveAttribute('data-ok', 'true', { timeout: 30_000 });
  for (const check of ['reachable', 'vision', 'streaming', 'usage', 'structured']) await expect(report.getByTestId(`connection-check-${check}`)).toHaveAttribute('data-ok', 'true');
  await expect(report.getByTestId('connection-check-vision')).toContainText('Saw the red test image');

  const broken = page.locator('[data-testid="connection-test"][data-model="compatible:stub-broken"]');
  await broken.getByTestId('connection-test-run').click();
  await expect(broken.getByTestId('connection-report')).toHaveAttribute('data-ok', 'false', { timeout: 30_000 });
  await expect(broken.getByTestId('connection-check-reachable')).toContainText('The model server failed (HTTP 500)');

  const transcription = page.locator('[data-testid="connection-test"][data-model="compatible:stub-whisper"]');
  await transcription.getByTestId('connection-test-run').click();
  await expect(transcription.getByTestId('connection-check-segments')).toHaveAttribute('data-ok', 'true', { timeout: 30_000 });

  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: test.info().outputPath('models-phone-dark.png'), fullPage: true });

  await page.goto('/admin/audit');
  await expect(page.getByTestId('audit-row').first()).toContainText('tested the connection to model');
});
