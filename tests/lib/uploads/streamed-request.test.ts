/**
 * A raw upload body is cut off the moment it passes what is left of the caller's daily quota,
 * not stored first and refused afterwards.
 */
import { expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { cutOffAfter } from '@/lib/uploads/streamed-request';

it('fails the stream with the quota refusal once more than the allowance has come through, and stops pulling', async () => {
  let pulled = 0;
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled++;
      controller.enqueue(new Uint8Array(1024 * 1024));
    },
  });
  const refusal = new AppError('rate_limited', 'over quota');
  const reader = cutOffAfter(source, 3 * 1024 * 1024, () => refusal).getReader();
  let received = 0;
  await expect(
    (async () => {
      for (;;) {
        const { value } = await reader.read();
        received += value!.length;
      }
    })(),
  ).rejects.toBe(refusal);
  expect(received).toBe(3 * 1024 * 1024);
  expect(pulled).toBeLessThan(8);
});

it('passes a body through untouched when the quota is unlimited', () => {
  const source = new ReadableStream<Uint8Array>();
  expect(cutOffAfter(source, Infinity, () => new Error('never'))).toBe(source);
});
