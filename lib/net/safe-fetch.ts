import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { AppError, formatBytes } from '@/lib/errors';
import { isPublicAddress } from '@/lib/net/public-address';

export interface PublicFetchOptions {
  maxBytes: number;
  timeoutMs: number;
  maxRedirects?: number;
  /** Resolves a host name to its addresses (DNS by default). */
  resolve?: (host: string) => Promise<string[]>;
  /**
   * Where to connect once an address passed the check; the address itself by default. A seam for
   * tests, which cannot reach the internet: they resolve to a public address and dial a local server.
   */
  dial?: (address: string) => string;
}

export interface FetchedFile {
  bytes: Buffer;
  contentType: string | null;
  url: string;
}

const defaultResolve = async (host: string) => (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);

const refused = (url: URL, why: string) => new AppError('bad_request', `${url.origin} cannot be fetched: ${why}.`);

/**
 * GETs a URL someone gave us without letting it reach inside our network: http(s) only; the host is
 * resolved here and every address must be public (no loopback, private, link-local or metadata
 * address), and the connection goes to the address that was checked, so DNS cannot change its mind
 * between check and connect; redirects are followed by hand and checked the same way; the body is
 * cut off past `maxBytes` and the whole exchange past `timeoutMs`.
 */
export async function fetchPublicUrl(input: string, options: PublicFetchOptions): Promise<FetchedFile> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  let url = parseUrl(input);
  for (let redirects = 0; ; redirects++) {
    const address = await checkedAddress(url, options.resolve ?? defaultResolve);
    const response = await get(url, (options.dial ?? ((a) => a))(address), signal);
    const location = response.headers.location;
    if (response.statusCode && response.statusCode >= 300 && response.statusCode < 400 && location) {
      response.resume();
      if (redirects >= (options.maxRedirects ?? 3)) throw refused(url, 'it redirects too many times');
      url = parseUrl(new URL(location, url).href);
      continue;
    }
    if (response.statusCode !== 200) {
      response.resume();
      throw new AppError('bad_request', `${url.origin} answered HTTP ${response.statusCode ?? '?'} for this URL.`);
    }
    const bytes = await readBody(response, options.maxBytes, url);
    return { bytes, contentType: response.headers['content-type'] ?? null, url: url.href };
  }
}

function parseUrl(input: string): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new AppError('bad_request', 'This is not a valid URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AppError('bad_request', 'Only http and https URLs can be fetched.');
  if (url.username || url.password) throw refused(url, 'it carries credentials');
  return url;
}

async function checkedAddress(url: URL, resolve: (host: string) => Promise<string[]>): Promise<string> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const addresses = isIP(host) ? [host] : await resolve(host).catch(() => [] as string[]);
  if (addresses.length === 0) throw refused(url, 'its host does not resolve');
  // Every address must be public: a client may pick any of them.
  if (!addresses.every(isPublicAddress)) throw refused(url, 'it points inside a private network');
  return addresses[0];
}

function get(url: URL, address: string, signal: AbortSignal): Promise<http.IncomingMessage> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(url, {
      signal,
      // The checked address, whatever DNS would say now; TLS still verifies the certificate against the host name.
      lookup: (_host, options, callback) => {
        const family = isIP(address);
        if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
        else callback(null, address, family);
      },
      headers: { accept: 'image/*,video/*,audio/*;q=0.9,*/*;q=0.5', 'user-agent': 'Glimpse' },
    });
    request.on('response', resolve);
    request.on('error', (error) => reject(signal.aborted ? new AppError('bad_request', `${url.origin} took too long to answer.`) : new AppError('bad_request', `${url.origin} could not be reached.`, { cause: error })));
  });
}

async function readBody(response: http.IncomingMessage, maxBytes: number, url: URL): Promise<Buffer> {
  const declared = Number(response.headers['content-length'] ?? 0);
  if (declared > maxBytes) {
    response.destroy();
    throw new AppError('too_large', `The file at ${url.origin} is ${formatBytes(declared)}; the limit is ${formatBytes(maxBytes)}.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        response.destroy();
        throw new AppError('too_large', `The file at ${url.origin} is larger than ${formatBytes(maxBytes)}, the limit.`);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('bad_request', `${url.origin} stopped sending the file, or took too long.`, { cause: error });
  }
  return Buffer.concat(chunks);
}
