/**
 * The route wrapper and body readers: a page of another origin (another port of the same host
 * included) cannot change anything with the person's cookies, JSON must say it is JSON, and a
 * body is read no further than its limit however it is sent.
 */
import { expect, it } from 'vitest';
import { z } from 'zod';
import { parseJson, readBodyUpTo, route } from '@/lib/http';

const changed: string[] = [];
const handler = route(async (request: Request) => {
  changed.push(request.method);
  return Response.json({ ok: true });
});

const call = (headers: Record<string, string>, method = 'POST') => handler(new Request('http://localhost:3000/api/keys', { method, headers: { host: 'localhost:3000', ...headers } }));

it('refuses a state-changing request from another origin, a same-site page on another port too, before the handler runs', async () => {
  changed.length = 0;
  for (const origin of ['http://localhost:4000', 'http://evil.example', 'null', 'https://localhost:3000']) {
    const response = await call({ origin, cookie: 'session=victim' });
    expect(response.status, origin).toBe(403);
    expect((await response.json()).error.code).toBe('forbidden');
  }
  expect((await call({ 'sec-fetch-site': 'same-site' })).status).toBe(403);
  expect((await call({ 'sec-fetch-site': 'cross-site' }, 'DELETE')).status).toBe(403);
  expect(changed).toEqual([]);
});

it('lets the app’s own pages, safe methods and clients that are not browsers through', async () => {
  changed.length = 0;
  expect((await call({ origin: 'http://localhost:3000' })).status).toBe(200);
  expect((await call({ 'sec-fetch-site': 'same-origin' }, 'PATCH')).status).toBe(200);
  expect((await call({ origin: 'http://localhost:4000' }, 'GET')).status).toBe(200);
  // Neither Origin nor Sec-Fetch-Site: not a browser, so no victim's cookies ride along.
  expect((await call({})).status).toBe(200);
  // Behind a trusted proxy, the app server passes on the host the client asked for.
  expect((await call({ origin: 'https://glimpse.example', 'x-forwarded-host': 'glimpse.example', 'x-forwarded-proto': 'https' })).status).toBe(200);
  expect(changed).toEqual(['POST', 'PATCH', 'GET', 'POST', 'POST']);
});

const schema = z.object({ name: z.string() });

it('takes JSON only when it is labelled as JSON (a cross-site form can send only text/plain and forms)', async () => {
  const body = JSON.stringify({ name: 'x' });
  await expect(parseJson(new Request('http://x/', { method: 'POST', headers: { 'content-type': 'text/plain' }, body }), schema)).rejects.toMatchObject({ code: 'unsupported_type' });
  await expect(parseJson(new Request('http://x/', { method: 'POST', body: new Blob([body]) }), schema)).rejects.toMatchObject({ code: 'unsupported_type' });
  expect(await parseJson(new Request('http://x/', { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body }), schema)).toEqual({ name: 'x' });
});

/** A chunked body of `chunks` × 64 KB that records how much of it was pulled. */
function endlessBody(chunks: number) {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= chunks) return controller.close();
      pulled++;
      controller.enqueue(new Uint8Array(64 * 1024));
    },
  });
  return { stream, pulled: () => pulled };
}

it('stops reading a chunked or under-declared body at its limit', async () => {
  const chunked = endlessBody(16_000); // 1 GB if read to the end
  const request = new Request('http://x/', { method: 'POST', body: chunked.stream, duplex: 'half' } as RequestInit);
  await expect(readBodyUpTo(request, 256 * 1024)).rejects.toMatchObject({ code: 'too_large' });
  expect(chunked.pulled()).toBeLessThan(10);

  const declared = new Request('http://x/', { method: 'POST', headers: { 'content-length': String(10 * 1024 * 1024 * 1024) }, body: 'x' });
  await expect(readBodyUpTo(declared, 1024)).rejects.toMatchObject({ code: 'too_large', message: expect.stringMatching(/10\.0 GB; the limit is 1\.0 KB/) });
});
