/**
 * Time to first token when an answer comes from the cache, against the same answer from a model.
 * Measures the server's work for a question after authentication, as the chat route does it:
 * store the question, load the conversation, look up the cache, stream. The "model" is our stub
 * server; the cache path must not call it at all, and this benchmark fails if it does.
 */
import { randomUUID } from 'node:crypto';
import { benchEnvironment } from '@/bench/support/environment';
import { startStubModel } from '@/e2e/stub-model/server';
import { photoWithGps } from '@/tests/support/images';

const runs = 30;
const targetMs = 100;

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p95: at(0.95) };
}

export async function benchCacheHit(): Promise<{ title: string; markdown: string }> {
  const stub = await startStubModel({ port: 0 });
  const environment = await benchEnvironment({ OPENAI_COMPATIBLE_BASE_URL: stub.url, OPENAI_COMPATIBLE_MODELS: 'stub-vision' });

  const { findModel } = await import('@/lib/ai/registry');
  const { answerStream } = await import('@/lib/chat/answer');
  const { claimAnswer } = await import('@/lib/chat/active');
  const { loadTurns } = await import('@/lib/chat/conversation-input');
  const { mediaUrl } = await import('@/lib/chat/types');
  const { db } = await import('@/lib/db/client');
  const { conversationMessages, saveQuestion } = await import('@/lib/db/messages');
  const { ensureTestUser } = await import('@/tests/support/users');
  const { ingestImage } = await import('@/lib/uploads/image');

  try {
    const model = (await findModel('compatible:stub-vision'))!;
    const userId = randomUUID();
    await ensureTestUser(userId);
    const photo = await photoWithGps(1600, 1200);
    const question = 'What is in this photo?';

    /** One question in a new conversation; ms until the first text arrives, and the full text. */
    async function ask(): Promise<{ ttft: number; text: string }> {
      const media = await ingestImage(userId, photo, 'photo.jpg');
      const started = performance.now();
      const conversationId = randomUUID();
      await saveQuestion({
        userId,
        conversationId,
        newConversation: { title: question, modelId: model.id },
        message: { id: randomUUID(), parts: [{ type: 'file', mediaType: media.mediaType, url: mediaUrl(media.id) }, { type: 'text', text: question }] },
        mediaIds: [media.id],
      });
      const turns = await loadTurns(await conversationMessages(conversationId));
      const { stream } = await answerStream({ conversationId, answerId: randomUUID(), model, detail: 'auto', turns, bypassCache: false, slot: claimAnswer(conversationId)! });
      const reader = stream.getReader();
      let ttft = -1;
      let text = '';
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        if (next.value.type === 'text-delta') {
          if (ttft < 0) ttft = performance.now() - started;
          text += next.value.delta;
        }
      }
      return { ttft, text };
    }

    const live = await ask();
    // The answer is stored in the background after the stream ends.
    for (let i = 0; i < 50 && (await db().cacheEntry.count()) === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const callsBefore = stub.requests.length;
    await ask(); // warm-up
    const hits: number[] = [];
    for (let i = 0; i < runs; i++) {
      const hit = await ask();
      if (hit.text !== live.text) throw new Error('a cache hit returned a different answer');
      hits.push(hit.ttft);
    }
    const modelCalls = stub.requests.length - callsBefore;
    if (modelCalls !== 0) throw new Error(`cache hits called the model ${modelCalls} times`);
    // Answers are stored after their stream ends; let the last one land before tearing down.
    while ((await db().message.count({ where: { status: 'streaming' } })) > 0) await new Promise((r) => setTimeout(r, 20));
    const { median, p95 } = stats(hits);
    const backend = environment.backend;

    const markdown = [
      `Database: ${backend}. ${runs} cache hits after one warm-up; each is a new conversation with the same image bytes (a new upload) and question. Timed from storing the question to the first text delta.`,
      '',
      '| Path | Median ms | p95 ms | Model calls |',
      '| --- | ---: | ---: | ---: |',
      `| Cache hit | ${median.toFixed(1)} | ${p95.toFixed(1)} | ${modelCalls} |`,
      `| First answer (stub model, local HTTP) | ${live.ttft.toFixed(1)} | | 1 |`,
      '',
      `Target: first token ≤ ${targetMs} ms on a cache hit — **${median <= targetMs ? 'met' : 'NOT met'}** (${median.toFixed(1)} ms), with 0 model calls.`,
    ].join('\n');
    return { title: 'Cache hit: time to first token', markdown };
  } finally {
    await environment.stop();
    await stub.stop();
  }
}
