/**
 * Stop with several instances (REDIS_URL): one process writes the answer, the browser's Stop
 * reaches another. Here this process holds the answer's slot, listening through the Redis server
 * at 127.0.0.1:6379, and the Stop comes from a second Node process.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { claimAnswer, releaseAnswer } from '@/lib/chat/active';
import { joinAnswerStreams, stopAnswerAnywhere } from '@/lib/chat/resumable';

const REDIS_URL = 'redis://127.0.0.1:6379';
const shared = globalThis as { glimpseResumable?: unknown; glimpseStopBus?: unknown };

beforeAll(() => {
  vi.stubEnv('REDIS_URL', REDIS_URL);
  delete shared.glimpseResumable;
});

afterAll(() => {
  vi.unstubAllEnvs();
  delete shared.glimpseResumable;
  delete shared.glimpseStopBus;
});

/** stopAnswerAnywhere in another process, as a second instance of the app would call it. */
async function stopFromAnotherInstance(conversationId: string): Promise<{ stopped: boolean }> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'tests/support/stop-from-another-instance.ts', conversationId], {
    env: { ...process.env, REDIS_URL },
    timeout: 30_000,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

it('stops an answer written here when the Stop reaches another instance', async () => {
  const conversationId = randomUUID();
  const slot = claimAnswer(conversationId)!;
  await joinAnswerStreams();
  const stopped = new Promise<unknown>((resolve) => slot.signal.addEventListener('abort', () => resolve(slot.signal.reason), { once: true }));

  expect(await stopFromAnotherInstance(conversationId)).toEqual({ stopped: true });
  await expect(stopped).resolves.toMatchObject({ message: 'stopped by the user' });
  releaseAnswer(conversationId, slot);
}, 40_000);

it('stops an answer written in this instance without going through Redis', async () => {
  const conversationId = randomUUID();
  const slot = claimAnswer(conversationId)!;
  expect(await stopAnswerAnywhere(conversationId)).toBe(true);
  expect(slot.signal.aborted).toBe(true);
  releaseAnswer(conversationId, slot);
});

it('leaves other conversations’ answers alone', async () => {
  const mine = randomUUID();
  const slot = claimAnswer(mine)!;
  await joinAnswerStreams();
  expect(await stopFromAnotherInstance(randomUUID())).toEqual({ stopped: true });
  // The Stop for another conversation has arrived here by now (Redis delivers in order): not ours.
  expect(await stopFromAnotherInstance(randomUUID())).toEqual({ stopped: true });
  expect(slot.signal.aborted).toBe(false);
  releaseAnswer(mine, slot);
}, 60_000);
