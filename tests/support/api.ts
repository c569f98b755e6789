/**
 * For tests of the HTTP API (/api/v1): keys, and servers on this machine (image hosts, route
 * handlers behind a real HTTP socket).
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { createApiKey } from '@/lib/auth/api-keys';
import { ensureTestUser } from '@/tests/support/users';

/** An account and a key of theirs. */
export async function apiKeyFor(label: string) {
  const owner = `api-${label.replace(/\W+/g, '-')}-${randomUUID()}`;
  await ensureTestUser(owner, { anonymous: false });
  const { key, record } = await createApiKey(owner, label);
  return { owner, key, keyId: record.id };
}

export interface LocalServer {
  port: number;
  /** Paths requested so far. */
  hits: string[];
  close(): Promise<void>;
}

/** A plain HTTP server on 127.0.0.1 answering with `handle`, recording each path it is asked for. */
export async function localServer(handle: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<LocalServer> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A route handler behind a real socket, as Next serves it: the Node request becomes a web
 * Request (aborted when the client hangs up) and the Response's body is written as it comes.
 */
export function serveRoute(handler: (request: Request) => Promise<Response>): Promise<LocalServer> {
  return localServer(async (req, res) => {
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : (Readable.toWeb(req) as ReadableStream<Uint8Array>),
      signal: abort.signal,
      duplex: 'half',
    } as RequestInit);
    const response = await handler(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (!response.body) return res.end();
    const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
    // A client that hangs up cancels the body, as Next does.
    res.on('close', () => body.destroy());
    body.pipe(res);
  });
}
