import { getBlobStore } from '@/lib/storage';

export interface ServeOptions {
  contentType: string;
  cacheControl: string;
  /** Sent as Content-Disposition, e.g. an attachment with the file's name. */
  disposition?: string;
}

/**
 * A blob as an HTTP response, streamed (never whole in memory: a video can be gigabytes) and by
 * byte range when the client asks for one, as video players do to seek.
 */
export async function serveBlob(request: Request, key: string, options: ServeOptions): Promise<Response> {
  const range = parseRange(request.headers.get('range'));
  const blob = await getBlobStore().read(key, range ?? undefined);
  if (!blob) throw new Error(`blob missing: ${key}`);
  if (range && range.start >= blob.size) {
    await blob.stream.cancel();
    return new Response(null, { status: 416, headers: { 'content-range': `bytes */${blob.size}` } });
  }
  const headers: Record<string, string> = {
    'content-type': options.contentType,
    'content-length': String(blob.end - blob.start + 1),
    'accept-ranges': 'bytes',
    'cache-control': options.cacheControl,
    'x-content-type-options': 'nosniff',
  };
  if (options.disposition) headers['content-disposition'] = options.disposition;
  if (!range) return new Response(blob.stream, { headers });
  headers['content-range'] = `bytes ${blob.start}-${blob.end}/${blob.size}`;
  return new Response(blob.stream, { status: 206, headers });
}

/** One `bytes=start-end` range (what players send); anything else is served whole, as HTTP allows. */
function parseRange(header: string | null): { start: number; end?: number } | null {
  const match = /^bytes=(\d+)-(\d*)$/.exec(header?.trim() ?? '');
  if (!match) return null;
  const start = Number(match[1]);
  const end = match[2] ? Number(match[2]) : undefined;
  if (end !== undefined && end < start) return null;
  return { start, end };
}
