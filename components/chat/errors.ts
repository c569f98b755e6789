/** Route errors arrive as `{error: {message}}` JSON in the Error's message; stream errors as plain text. */
export function readableError(error: Error): string {
  try {
    const parsed = JSON.parse(error.message) as { error?: { message?: string } };
    if (parsed.error?.message) return parsed.error.message;
  } catch {
    // plain text
  }
  return error.message || 'Something went wrong. Try again.';
}

/** Codes the chat route returns before it stores anything: the question was not sent. */
const rejectedCodes = new Set(['bad_request', 'too_many_files', 'not_found', 'conflict', 'unauthorized', 'model_unavailable', 'rate_limited']);

export function rejectionOf(error: Error): string | null {
  try {
    const parsed = JSON.parse(error.message) as { error?: { code?: string; message?: string } };
    if (parsed.error?.code && rejectedCodes.has(parsed.error.code)) return parsed.error.message ?? null;
  } catch {
    // not a route error
  }
  return null;
}
