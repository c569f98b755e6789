/**
 * Answers being written right now, by conversation. Generation is detached from the HTTP response
 * (a closed tab must not lose the answer), so "stop" needs its own handle on it. Claiming the slot
 * happens before anything is written, so one conversation never has two answers in flight.
 */
const running = globalThis as unknown as { glimpseActive?: Map<string, AbortController> };
const active = (running.glimpseActive ??= new Map());

/** The conversation's answer slot, or null when an answer is already being written there. */
export function claimAnswer(conversationId: string): AbortController | null {
  if (active.has(conversationId)) return null;
  const controller = new AbortController();
  active.set(conversationId, controller);
  return controller;
}

export function releaseAnswer(conversationId: string, controller: AbortController): void {
  if (active.get(conversationId) === controller) active.delete(conversationId);
}

/** True when there was an answer to stop. */
export function stopAnswer(conversationId: string): boolean {
  const controller = active.get(conversationId);
  if (!controller) return false;
  controller.abort(new Error('stopped by the user'));
  return true;
}

export function isAnswering(conversationId: string): boolean {
  return active.has(conversationId);
}
