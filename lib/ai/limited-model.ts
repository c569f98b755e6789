import type { LanguageModelV4, LanguageModelV4StreamResult } from '@ai-sdk/provider';
import { wrapLanguageModel } from 'ai';
import type { LimitOptions, ModelLimiter } from '@/lib/ai/limiter';

/**
 * `model` with each of its HTTP calls made through `limiter`, holding an in-flight slot until the
 * answer is in (a stream's until it ends or is cancelled). Given to withFallback as its candidates,
 * every attempt — 429 retries and fallback models too — passes the limiter, while the pauses between
 * attempts hold no slot.
 */
export function limitedModel(limiter: ModelLimiter, model: LanguageModelV4, options: LimitOptions = {}): LanguageModelV4 {
  return wrapLanguageModel({
    model,
    middleware: {
      specificationVersion: 'v4',
      wrapGenerate: ({ params }) => limiter.run((signal) => model.doGenerate({ ...params, abortSignal: signal }), params.abortSignal, options),
      wrapStream: ({ params }) =>
        new Promise<LanguageModelV4StreamResult>((resolve, reject) => {
          limiter
            .run(
              async (signal) => {
                const result = await model.doStream({ ...params, abortSignal: signal });
                // The slot is ours until the caller is done with the stream.
                await new Promise<void>((ended) => resolve({ ...result, stream: endingWith(result.stream, ended) }));
              },
              params.abortSignal,
              options,
            )
            .catch(reject);
        }),
    },
  });
}

/** The same stream, calling `ended` once it is read to the end, fails or is cancelled. */
function endingWith<T>(stream: ReadableStream<T>, ended: () => void): ReadableStream<T> {
  const reader = stream.getReader();
  return new ReadableStream<T>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          ended();
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        ended();
        controller.error(error);
      }
    },
    async cancel(reason) {
      ended();
      await reader.cancel(reason);
    },
  });
}
