import { APICallError } from '@ai-sdk/provider';
import { AppError } from '@/lib/errors';

/** What a person sees when the model fails; the raw error goes to the log only. */
export function describeModelError(error: unknown): string {
  if (error instanceof AppError) return error.message;
  if (APICallError.isInstance(error)) {
    console.error(`model call failed: HTTP ${error.statusCode ?? '-'} from ${error.url}: ${error.message}`);
    const status = error.statusCode;
    if (status === 401 || status === 403) return `The model provider refused our credentials (HTTP ${status}). Check the API key in the server configuration.`;
    if (status === 404) return 'The model provider does not know this model (HTTP 404). Pick another model.';
    if (status === 429) return 'The model is rate-limited right now (HTTP 429) and retries did not help. Try again in a minute.';
    if (status !== undefined && status >= 500) return `The model server failed (HTTP ${status}). Try again, or pick another model.`;
    if (status === undefined) return 'Could not reach the model server. Check that it is running and reachable.';
    return `The model rejected the request (HTTP ${status}).`;
  }
  console.error('model call failed', error);
  return 'The model stopped with an error before finishing its answer. Try again.';
}

/** For failures before the model was asked (loading images, building the request). */
export function describeAnswerError(error: unknown): string {
  if (error instanceof AppError || APICallError.isInstance(error)) return describeModelError(error);
  console.error('could not prepare the answer', error);
  return 'Something went wrong while preparing the answer. Try again.';
}
