/**
 * Lets specs inspect and clear the stub model that playwright.config.ts starts in its own process.
 */
import type { RecordedRequest } from '../stub-model/server';

export type { RecordedRequest };

export const STUB_PORT = Number(process.env.E2E_STUB_PORT) || 4010;
export const STUB_ORIGIN = `http://127.0.0.1:${STUB_PORT}`;

/** Every request the stub received since the last reset, oldest first. */
export async function stubRequests(): Promise<RecordedRequest[]> {
  const res = await fetch(`${STUB_ORIGIN}/__requests`);
  if (!res.ok) throw new Error(`stub /__requests answered ${res.status}`);
  return res.json();
}

/** Clears recorded requests and the per-prompt failure counters, so each test starts clean. */
export async function resetStub(): Promise<void> {
  const res = await fetch(`${STUB_ORIGIN}/__reset`, { method: 'POST' });
  if (!res.ok) throw new Error(`stub /__reset answered ${res.status}`);
}

/** Changes how the stub speaks until the next reset, e.g. `{ dialect: 'vllm' }` (e2e/stub-model/dialects). */
export async function configureStub(settings: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${STUB_ORIGIN}/__config`, { method: 'POST', body: JSON.stringify(settings) });
  if (!res.ok) throw new Error(`stub /__config answered ${res.status}`);
}
