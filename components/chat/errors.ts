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
