import { classifyProviderError } from '@/lib/ai/provider-errors';
import { AppError } from '@/lib/errors';

/** What a person sees when the model fails; the raw error goes to the log only. */
export function describeModelError(error: unknown): string {
  if (error instanceof AppError) return error.message;
  const failure = classifyProviderError(error);
  if (failure) {
    const e = error as { url?: string; message?: string };
    console.error(`model call failed (${failure.kind}): HTTP ${failure.status ?? '-'} from ${e.url}: ${e.message}`);
    return failure.message;
  }
  console.error('model call failed', error);
  return 'The model stopped with an error before finishing its answer. Try again.';
}

/** For failures before the model was asked (loading images, building the request). */
export function describeAnswerError(error: unknown): string {
  if (error instanceof AppError || classifyProviderError(error)) return describeModelError(error);
  console.error('could not prepare the answer', error);
  return 'Something went wrong while preparing the answer. Try again.';
}
