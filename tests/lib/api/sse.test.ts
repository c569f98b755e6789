/**
 * eventStreamResponse on its own: the frames it writes, a heartbeat after exactly 15 s of silence
 * by default (fake timers), and a reader that goes away ending the events' iteration.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { eventStreamResponse, HEARTBEAT_MS } from '@/lib/api/sse';

afterEach(() => {
  vi.useRealTimers();
});

const decoder = new TextDecoder();

it('frames each event as `event:` and one `data:` line of JSON, opening with a comment', async () => {
  async function* events() {
    yield { event: 'delta', data: { text: 'two\nlines' } };
    yield { event: 'result', data: { id: 'x', result: 'done' } };
  }
  const response = eventStreamResponse(events());
  expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  expect(await response.text()).toBe(': heartbeat\n\nevent: delta\ndata: {"text":"two\\nlines"}\n\nevent: result\ndata: {"id":"x","result":"done"}\n\n');
});

it('sends a heartbeat after 15 s without an event by default, and again after each 15 s more', async () => {
  vi.useFakeTimers();
  expect(HEARTBEAT_MS).toBe(15_000);
  let release!: () => void;
  async function* events() {
    await new Promise<void>((resolve) => (release = resolve));
    yield { event: 'result', data: {} };
  }
  const reader = eventStreamResponse(events()).body!.getReader();
  expect(decoder.decode((await reader.read()).value)).toBe(': heartbeat\n\n');

  let next = reader.read();
  let arrived = false;
  void next.then(() => (arrived = true));
  await vi.advanceTimersByTimeAsync(HEARTBEAT_MS - 1);
  expect(arrived).toBe(false);
  await vi.advanceTimersByTimeAsync(1);
  expect(decoder.decode((await next).value)).toBe(': heartbeat\n\n');
  next = reader.read();
  await vi.advanceTimersByTimeAsync(HEARTBEAT_MS);
  expect(decoder.decode((await next).value)).toBe(': heartbeat\n\n');

  release();
  expect(decoder.decode((await reader.read()).value)).toBe('event: result\ndata: {}\n\n');
  expect((await reader.read()).done).toBe(true);
});

it('stops iterating the events when the reader cancels', async () => {
  let finished = false;
  async function* events() {
    try {
      for (let i = 0; ; i++) {
        yield { event: 'tick', data: i };
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    } finally {
      finished = true;
    }
  }
  const reader = eventStreamResponse(events()).body!.getReader();
  await reader.read();
  await reader.read();
  await reader.cancel();
  await vi.waitFor(() => expect(finished).toBe(true));
});
