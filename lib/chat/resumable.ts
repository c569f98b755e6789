import { createUIMessageStreamResponse, UI_MESSAGE_STREAM_HEADERS, type UIMessageChunk } from 'ai';
import { after } from 'next/server';
import { createResumableStreamContext, type Publisher, type ResumableStreamContext, type Subscriber } from 'resumable-stream/generic';
import { HEARTBEAT_MS } from '@/lib/api/sse';
import { stopAnswer } from '@/lib/chat/active';
import { memoryPubSub } from '@/lib/chat/resumable-memory';

/**
 * Running answers by answer id, so a browser that lost the answer's response (a reload, a dropped
 * connection) can read it again from its start and then live to its end: through Redis when
 * REDIS_URL is set (any server instance can reattach), else within this process (resumable-memory.ts).
 * Kept on globalThis: Next bundles each route apart, and POST /api/chat and its GET …/stream must share one.
 */
const holder = globalThis as unknown as { glimpseResumable?: Promise<ResumableStreamContext>; glimpseStopBus?: (conversationId: string) => Promise<number> };

/** Where instances pass on a Stop for an answer another one is writing (its conversation id). */
const STOP_CHANNEL = 'glimpse:stop';

function streams(): Promise<ResumableStreamContext> {
  holder.glimpseResumable ??= connect().catch((error) => {
    // The next answer tries again: Redis may be back by then.
    holder.glimpseResumable = undefined;
    holder.glimpseStopBus = undefined;
    throw error;
  });
  return holder.glimpseResumable;
}

async function connect(): Promise<ResumableStreamContext> {
  const url = process.env.REDIS_URL;
  const { publisher, subscriber } = url ? await redisPubSub(url) : memoryPubSub();
  // `after` keeps a serverless function alive while the answer still has readers to publish to.
  return createResumableStreamContext({ keyPrefix: 'glimpse:answer', waitUntil: after, publisher, subscriber });
}

async function redisPubSub(url: string): Promise<{ publisher: Publisher; subscriber: Subscriber }> {
  const { createClient } = await import('redis');
  let connected = false;
  const client = createClient({
    url,
    // Commands fail at once while Redis is away, instead of holding an answer's first byte.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2_000,
      // A server that never answered is a wrong REDIS_URL: give up (answers stream without resuming); once up, keep reconnecting.
      reconnectStrategy: (retries, cause) => (connected ? Math.min(100 * 2 ** retries, 5_000) : retries >= 2 ? cause : 200),
    },
  });
  const subscriber = client.duplicate();
  for (const each of [client, subscriber]) each.on('error', (error) => console.error('redis (resumable answers):', error.message));
  await Promise.all([client.connect(), subscriber.connect()]);
  connected = true;
  // Every instance that writes answers connects here first, so each hears Stops sent from the others.
  await subscriber.subscribe(STOP_CHANNEL, (conversationId) => void stopAnswer(conversationId));
  holder.glimpseStopBus = (conversationId) => client.publish(STOP_CHANNEL, conversationId);
  const publisher: Publisher = {
    connect: async () => undefined,
    // resumable-stream stops reading an answer when a publish to a reattached reader fails, which
    // would freeze the first reader too: a Redis blip costs the reattached reader its copy instead.
    publish: (channel, message) => client.publish(channel, message).catch(() => 0),
    set: (key, value, options) => client.set(key, value, options),
    get: (key) => client.get(key),
    incr: (key) => client.incr(key),
  };
  return { publisher, subscriber };
}

/** Connects this instance to the shared streams (and, with Redis, to other instances' Stops) ahead of its first answer. */
export async function joinAnswerStreams(): Promise<void> {
  await streams();
}

/**
 * Stops the conversation's answer wherever it is being written. Each instance writes its own
 * answers (lib/chat/active.ts); with REDIS_URL the app may run as several, and a Stop that reaches
 * one without the answer is passed on to the others. True when an answer was stopped here or the
 * Stop reached another instance.
 */
export async function stopAnswerAnywhere(conversationId: string): Promise<boolean> {
  if (stopAnswer(conversationId)) return true;
  if (!process.env.REDIS_URL) return false;
  try {
    await streams();
    const listeners = (await holder.glimpseStopBus?.(conversationId)) ?? 0;
    // This instance hears its own Stop too, and has no such answer.
    return listeners > 1;
  } catch (error) {
    console.error('could not pass the Stop on to other instances:', error);
    return false;
  }
}

/**
 * The answer as the chat's Server-Sent Events response, shared under `answerId` for
 * reattachStream. A comment goes out whenever the model is silent for HEARTBEAT_MS, so no proxy
 * drops the connection while it thinks; made before sharing, it reaches reattached readers too.
 * If the sharing cannot start (Redis unreachable) the answer is still streamed, just not resumably.
 */
export async function resumableAnswerResponse(answerId: string, stream: ReadableStream<UIMessageChunk>): Promise<Response> {
  // The SDK's SSE framing and keep-alive, decoded back to text: resumable-stream shares strings.
  const response = createUIMessageStreamResponse({ stream, keepAliveMs: HEARTBEAT_MS });
  try {
    const shared = await (await streams()).createNewResumableStream(answerId, () => endingOnError(response.body!.pipeThrough(new TextDecoderStream())));
    if (!shared) return response;
    return new Response(shared.pipeThrough(new TextEncoderStream()), { headers: response.headers });
  } catch (error) {
    console.error('answer streamed without resuming:', error);
    return response;
  }
}

/**
 * The running answer's response from its first event (the client replaces the message it has,
 * found by id), then live to its end; null when `answerId` is not being written (or no longer).
 */
export async function reattachStream(answerId: string): Promise<Response | null> {
  let stream: ReadableStream<string> | null | undefined;
  try {
    stream = await (await streams()).resumeExistingStream(answerId);
  } catch (error) {
    // The writer is gone (its process stopped) or Redis is: the browser waits for the stored answer instead.
    console.error('could not reattach to answer', answerId, error);
    return null;
  }
  return stream ? new Response(stream.pipeThrough(new TextEncoderStream()), { headers: UI_MESSAGE_STREAM_HEADERS }) : null;
}

/**
 * resumable-stream reads its source without catching a failure, which would leave reattached
 * readers waiting forever: a failed source simply ends (the stored answer says what went wrong).
 */
function endingOnError(source: ReadableStream<string>): ReadableStream<string> {
  const reader = source.getReader();
  return new ReadableStream<string>({
    async pull(controller) {
      try {
        const next = await reader.read();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      } catch {
        controller.close();
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}
