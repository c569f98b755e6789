/**
 * A streamed answer over a real HTTP socket: POST /api/v1/analyze/image with `stream: true`
 * behind a Node server, read by a raw client that notes when each piece arrives. The model (the
 * stub) thinks for a while before its first word; the heartbeat interval is shortened for the test
 * (the production default, 15 s, is checked on its own in tests/lib/api/sse.test.ts).
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { startStubModel, stubAnswer, type StubModel } from '@/e2e/stub-model/server';
import { POST as analyzeImage } from '@/app/api/v1/analyze/image/route';
import { db } from '@/lib/db/client';
import { apiKeyFor, serveRoute, type LocalServer } from '@/tests/support/api';
import { useLocalDataDir } from '@/tests/support/data-dir';
import { testPrisma } from '@/tests/support/db';
import { readEvents } from '@/tests/support/sse';
import { pointAtStub } from '@/tests/support/stub-env';

const HEARTBEAT_MS = 150;
const THINKING_MS = 1200;

const pending: Promise<unknown>[] = [];
vi.mock('next/server', async (importOriginal) => ({ ...(await importOriginal<object>()), after: (work: Promise<unknown>) => pending.push(work) }));
vi.mock('@/lib/api/sse', async (importOriginal) => {
  const real = await importOriginal<typeof import('@/lib/api/sse')>();
  return { ...real, eventStreamResponse: (events: AsyncIterable<never>, options?: object) => real.eventStreamResponse(events, { ...options, heartbeatMs: 150 }) };
});

useLocalDataDir('api-sse');
const prisma = testPrisma();
let stub: StubModel;
let app: LocalServer;
let photo: string;

beforeAll(async () => {
  stub = await startStubModel({ deltaDelayMs: 5, callDelayMs: THINKING_MS });
  pointAtStub(stub.url);
  photo = (await sharp({ create: { width: 200, height: 150, channels: 3, background: '#e76f51' } }).png().toBuffer()).toString('base64');
  app = await serveRoute(analyzeImage);
});

afterAll(async () => {
  await Promise.allSettled(pending);
  await app?.close();
  await stub?.stop();
  await prisma.$disconnect();
  await db().$disconnect();
});

interface Received {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Each piece as it came off the socket, with when (ms after the request was sent). */
  pieces: { at: number; text: string }[];
}

/** POSTs over a plain socket; `hangUpAfter` closes the connection once that text has arrived. */
function post(key: string, body: object, hangUpAfter?: string): Promise<Received> {
  return new Promise((resolve, reject) => {
    const sentAt = Date.now();
    const request = http.request({ host: '127.0.0.1', port: app.port, path: '/api/v1/analyze/image', method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' } }, (response) => {
      const received: Received = { status: response.statusCode ?? 0, headers: response.headers, pieces: [] };
      response.setEncoding('utf8');
      response.on('data', (text: string) => {
        received.pieces.push({ at: Date.now() - sentAt, text });
        if (hangUpAfter && received.pieces.map((p) => p.text).join('').includes(hangUpAfter)) {
          request.destroy();
          resolve(received);
        }
      });
      response.on('end', () => resolve(received));
    });
    request.on('error', (error) => (hangUpAfter ? undefined : reject(error)));
    request.end(JSON.stringify(body));
  });
}

it('sends heartbeat comments while the model is silent, then well-framed events ending with the result', async () => {
  const { key } = await apiKeyFor('sse socket');
  const prompt = `Over a socket. ${randomUUID()}`;
  const { status, headers, pieces } = await post(key, { image_base64: photo, prompt, stream: true });
  expect(status).toBe(200);
  expect(headers['content-type']).toBe('text/event-stream; charset=utf-8');
  expect(headers['cache-control']).toBe('no-cache, no-transform');

  const body = pieces.map((p) => p.text).join('');
  // Framing: every block is a comment or `event:` + one `data:` line, each ended by a blank line.
  expect(body).toMatch(/^(?:(?::[^\n]*\n|event: [a-z]+\ndata: [^\n]+\n)\n)+$/);
  const events = readEvents(body);
  expect(events[0].event).toBe('start');
  expect(events.at(-1)).toMatchObject({ event: 'result', data: { result: stubAnswer(prompt, 1, 'stub-vision'), cached: false } });

  // From the moment the answer starts until the model's first word, only heartbeats, never far apart.
  const started = pieces.findIndex((p) => p.text.includes('event: start'));
  const firstDelta = pieces.findIndex((p) => p.text.includes('event: delta'));
  const thinking = pieces[firstDelta].at - pieces[started].at;
  expect(thinking).toBeGreaterThan(THINKING_MS / 2);
  const silent = pieces.slice(started, firstDelta);
  const heartbeats = silent.flatMap((p) => p.text.match(/^: heartbeat$/gm) ?? []);
  expect(heartbeats.length).toBeGreaterThanOrEqual(Math.floor(thinking / HEARTBEAT_MS) - 2);
  // Never silent for much longer than the interval, however long the model thinks.
  const gaps = silent.slice(1).map((p, i) => p.at - silent[i].at);
  expect(Math.max(...gaps)).toBeLessThan(HEARTBEAT_MS * 2.5);
});

it('keeps writing and stores the whole answer when the client hangs up mid-stream', async () => {
  const { key, owner } = await apiKeyFor('sse hang-up');
  const prompt = `Hang up on me. ${randomUUID()}`;
  await post(key, { image_base64: photo, prompt, stream: true }, 'event: delta');
  await Promise.allSettled(pending.splice(0));
  const answer = await prisma.message.findFirstOrThrow({ where: { role: 'assistant', conversation: { userId: owner } } });
  expect(answer).toMatchObject({ status: 'complete', parts: [{ type: 'text', text: stubAnswer(prompt, 1, 'stub-vision') }] });
  // Counted once, as the success it was.
  expect(await prisma.apiUsage.findMany({ where: { key: { userId: owner } }, select: { requests: true, errors: true } })).toEqual([{ requests: 1, errors: 0 }]);
});
