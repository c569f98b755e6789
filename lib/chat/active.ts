/**
 * Answers being written right now, by conversation. Generation is detached from the HTTP response
 * (a closed tab must not lose the answer), so "stop" needs its own handle on it.
 */
const running = globalThis as unknown as { glimpseActive?: Map<string, AbortController> };
const active = (running.glimpseActive ??= new Map());

export function isAnswering(conversationId: string): boolean {
  return active.has(conversationId);
}

export function registerAnswer(conversationId: string): AbortController {
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
