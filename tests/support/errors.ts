import { expect } from 'vitest';
import { AppError, type ErrorCode } from '@/lib/errors';

/** The AppError `work` rejects with, after checking it is one and has `code`. */
export async function rejectionWith(work: Promise<unknown>, code: ErrorCode): Promise<AppError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}
