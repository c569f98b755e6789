import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
// The undici that @vercel/blob fetches with. Every copy of undici (and Node's own fetch)
// shares one global dispatcher slot, so swapping it here reroutes the client's reads.
import { Agent, getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from 'undici';

export interface FakeBlob {
  body: Buffer;
  contentType: string;
  access: 'public' | 'private';
  uploadedAt: Date;
}

export interface FakeBlobRequest {
  method: string;
  /** The Host the client addressed: the API's, or `<storeId>.<access>.blob.vercel-storage.com`. */
  host: string;
  /** Path and query, e.g. `/?pathname=a%2Fb` or `/a/b`. */
  url: string;
  authorization: string | undefined;
}

export interface FakeVercelBlob {
  /** Point `VERCEL_BLOB_API_URL` here. */
  url: string;
  /** A read-write token this fake accepts. */
  token: string;
  storeId: string;
  /** Keyed by pathname. */
  objects: Map<string, FakeBlob>;
  requests: FakeBlobRequest[];
  stop(): Promise<void>;
}

// What the real client's `getBlobError` reads. Codes it does not know (and 5xx ones) make it
// retry for minutes, so every failure here carries a code it maps to a specific error.
interface ApiError {
  status: number;
  code: 'forbidden' | 'store_not_found' | 'not_found' | 'bad_request';
  message: string;
}

const BLOB_HOST = /^([a-z0-9]+)\.(public|private)\.blob\.vercel-storage\.com$/i;

/**
 * An in-memory stand-in for the Vercel Blob service, enough for the real `@vercel/blob` client:
 * put, head, list and delete on the API, and reads from the blob host. A private `get()` never
 * uses `VERCEL_BLOB_API_URL`: it fetches `https://<storeId>.private.blob.vercel-storage.com/…`
 * itself, so while the fake runs it reroutes that host to itself through undici's global
 * dispatcher, keeping the Host header so it can check the store and access it is asked for.
 */
export async function startFakeVercelBlob(): Promise<FakeVercelBlob> {
  const storeId = `fake${randomBytes(6).toString('hex')}`;
  const token = `vercel_blob_rw_${storeId}_${randomBytes(12).toString('hex')}`;
  const objects = new Map<string, FakeBlob>();
  const requests: FakeBlobRequest[] = [];

  function blobUrl(pathname: string, access: FakeBlob['access']): string {
    return `https://${storeId}.${access}.blob.vercel-storage.com/${pathname}`;
  }

  // The head shape; put and list answer it too, since the client copies out only what it needs.
  function metadata(pathname: string, blob: FakeBlob) {
    const url = blobUrl(pathname, blob.access);
    return {
      url,
      downloadUrl: `${url}?download=1`,
      pathname,
      size: blob.body.length,
      contentType: blob.contentType,
      contentDisposition: `attachment; filename="${pathname.split('/').pop()}"`,
      cacheControl: 'public, max-age=2592000',
      uploadedAt: blob.uploadedAt.toISOString(),
      etag: etagOf(blob),
    };
  }

  function authError(authorization: string | undefined): ApiError | null {
    const bearer = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : '';
    if (bearer === token) return null;
    if (bearer.split('_')[3] !== storeId) {
      return { status: 403, code: 'store_not_found', message: 'This store does not exist.' };
    }
    return { status: 403, code: 'forbidden', message: 'Access denied, please provide a valid token for this resource.' };
  }

  function api(req: IncomingMessage, body: Buffer): { status: number; json: unknown } {
    const failure = authError(req.headers.authorization);
    if (failure) return errorReply(failure);
    const { pathname: route, searchParams } = new URL(req.url ?? '/', 'http://fake');

    if (req.method === 'PUT' && route === '/' && searchParams.has('pathname')) {
      const pathname = searchParams.get('pathname') ?? '';
      const access = req.headers['x-vercel-blob-access'];
      if (access !== 'public' && access !== 'private') return badRequest('access must be "public" or "private"');
      if (req.headers['x-add-random-suffix'] === '1') return badRequest('the fake does not add random suffixes');
      if (objects.has(pathname) && req.headers['x-allow-overwrite'] !== '1') {
        return badRequest('This blob already exists, use `allowOverwrite: true` if you want to overwrite it.');
      }
      const contentType = headerValue(req.headers['x-content-type']) ?? 'application/octet-stream';
      const blob: FakeBlob = { body, contentType, access, uploadedAt: new Date() };
      objects.set(pathname, blob);
      return { status: 200, json: metadata(pathname, blob) };
    }

    if (req.method === 'GET' && route === '/' && searchParams.has('url')) {
      const pathname = toPathname(searchParams.get('url') ?? '');
      const blob = objects.get(pathname);
      if (!blob) return errorReply({ status: 404, code: 'not_found', message: 'The requested blob does not exist' });
      return { status: 200, json: metadata(pathname, blob) };
    }

    if (req.method === 'GET' && route === '/') {
      const prefix = searchParams.get('prefix') ?? '';
      const limit = Number(searchParams.get('limit') ?? 1000);
      const after = searchParams.get('cursor') ?? '';
      const matching = [...objects.keys()].filter((p) => p.startsWith(prefix) && p > after).sort();
      const page = matching.slice(0, limit);
      const hasMore = matching.length > page.length;
      const blobs = page.map((p) => metadata(p, objects.get(p)!));
      return { status: 200, json: { blobs, hasMore, cursor: hasMore ? page.at(-1) : undefined } };
    }

    if (req.method === 'POST' && route === '/delete') {
      const { urls } = JSON.parse(body.toString('utf8')) as { urls: string[] };
      for (const url of urls) objects.delete(toPathname(url));
      return { status: 200, json: {} };
    }

    return badRequest(`the fake does not implement ${req.method} ${req.url}`);
  }

  function read(req: IncomingMessage, res: ServerResponse, host: RegExpExecArray): void {
    const [, hostStore, access] = host;
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://fake').pathname.slice(1));
    const blob = objects.get(pathname);
    if (hostStore !== storeId || !blob || blob.access !== access) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    if (access === 'private' && req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden');
      return;
    }
    const headers = { 'content-type': blob.contentType, etag: etagOf(blob), 'last-modified': blob.uploadedAt.toUTCString() };
    // Single ranges only, as a video player asks for them.
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (range) {
      const start = Number(range[1]);
      const end = Math.min(range[2] ? Number(range[2]) : blob.body.length - 1, blob.body.length - 1);
      const part = blob.body.subarray(start, end + 1);
      res
        .writeHead(206, { ...headers, 'content-length': part.length, 'content-range': `bytes ${start}-${end}/${blob.body.length}` })
        .end(part);
      return;
    }
    res.writeHead(200, { ...headers, 'content-length': blob.body.length }).end(blob.body);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const host = req.headers.host ?? '';
      requests.push({ method: req.method ?? '', host, url: req.url ?? '', authorization: req.headers.authorization });
      const blobHost = BLOB_HOST.exec(host);
      if (blobHost) return read(req, res, blobHost);
      const { status, json } = api(req, Buffer.concat(chunks));
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const previousDispatcher = getGlobalDispatcher();
  const agent = new Agent();
  setGlobalDispatcher(agent.compose(rerouteBlobHosts(url)));

  return {
    url,
    token,
    storeId,
    objects,
    requests,
    async stop() {
      setGlobalDispatcher(previousDispatcher);
      await agent.close();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

function rerouteBlobHosts(fakeOrigin: string): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) => {
    const { host, hostname } = new URL(String(options.origin));
    if (!BLOB_HOST.test(hostname)) return dispatch(options, handler);
    const headers = options.headers;
    // undici's fetch hands the dispatcher a plain header object; anything else would need
    // merging rules this fake has no use for.
    if (headers != null && (Array.isArray(headers) || Symbol.iterator in headers)) {
      throw new Error('fake-vercel-blob: expected plain-object request headers');
    }
    return dispatch({ ...options, origin: fakeOrigin, headers: { ...headers, host } }, handler);
  };
}

function etagOf(blob: FakeBlob): string {
  return `"${createHash('sha1').update(blob.body).digest('hex')}"`;
}

/** The client passes either a pathname or a full blob URL wherever it names a blob. */
function toPathname(urlOrPathname: string): string {
  return /^https?:\/\//.test(urlOrPathname) ? decodeURIComponent(new URL(urlOrPathname).pathname.slice(1)) : urlOrPathname;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function errorReply({ status, code, message }: ApiError) {
  return { status, json: { error: { code, message } } };
}

function badRequest(message: string) {
  return errorReply({ status: 400, code: 'bad_request', message });
}
