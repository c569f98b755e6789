import { afterEach, describe, expect, it, vi } from 'vitest';
import { readableError } from '@/components/chat/errors';
import { isAbort, requestTranslation, transcriptDownloadHref } from '@/components/transcript/translate-api';

const url = '/api/media/00000000-0000-4000-8000-000000000000/translations';

function ndjsonResponse(chunks: string[]): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  return new Response(body, { headers: { 'content-type': 'application/x-ndjson' } });
}

afterEach(() => vi.unstubAllGlobals());

describe('transcriptDownloadHref', () => {
  it('asks for a format, and a translation by id', () => {
    expect(transcriptDownloadHref('/api/media/m/transcript', 'srt', null)).toBe('/api/media/m/transcript?format=srt');
    expect(transcriptDownloadHref('/share/t/media/m/transcript', 'vtt', 'tr1')).toBe('/share/t/media/m/transcript?format=vtt&translation=tr1');
  });
});

describe('requestTranslation', () => {
  it('posts the language, passes segments on in batches and returns the stored translation', async () => {
    const translation = { id: 'tr1', language: 'French', texts: ['Salut', 'Bonjour'] };
    const fetchMock = vi.fn(async () =>
      ndjsonResponse([
        '{"type":"segment","index":1,"text":"Bonjour"}\n{"type":"segm',
        'ent","index":0,"text":"Salut"}\n',
        `${JSON.stringify({ type: 'done', translation })}\n`,
      ]),
    );
    vi.stubGlobal('fetch', fetchMock);
    const seen: { index: number; text: string }[][] = [];
    const result = await requestTranslation(url, 'French', { signal: new AbortController().signal, onSegments: (s) => seen.push(s) });
    expect(result).toEqual(translation);
    expect(seen).toEqual([[{ index: 1, text: 'Bonjour' }], [{ index: 0, text: 'Salut' }]]);
    const [calledUrl, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(calledUrl).toBe(url);
    expect(init.method).toBe('POST');
    expect(JSON.parse(init.body as string)).toEqual({ language: 'French' });
  });

  it("throws the route's refusal so readableError shows its message", async () => {
    vi.stubGlobal('fetch', async () => Response.json({ error: { code: 'rate_limited', message: 'Daily message limit reached.' } }, { status: 429 }));
    const failure = await requestTranslation(url, 'French', { signal: new AbortController().signal, onSegments: () => undefined }).catch((e: Error) => e);
    expect(readableError(failure as Error)).toBe('Daily message limit reached.');
  });

  it('throws an error event mid-way, after the segments before it', async () => {
    vi.stubGlobal('fetch', async () => ndjsonResponse(['{"type":"segment","index":0,"text":"Salut"}\n', '{"type":"error","message":"The model failed."}\n']));
    const seen: unknown[] = [];
    await expect(requestTranslation(url, 'French', { signal: new AbortController().signal, onSegments: (s) => seen.push(s) })).rejects.toThrow('The model failed.');
    expect(seen).toHaveLength(1);
  });

  it('throws when the stream ends without its result', async () => {
    vi.stubGlobal('fetch', async () => ndjsonResponse(['{"type":"segment","index":0,"text":"Salut"}\n']));
    await expect(requestTranslation(url, 'French', { signal: new AbortController().signal, onSegments: () => undefined })).rejects.toThrow(/before the end/);
  });

  it('throws an AbortError when stopped', async () => {
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      init.signal?.throwIfAborted();
      return ndjsonResponse([]);
    });
    const controller = new AbortController();
    controller.abort();
    const failure = await requestTranslation(url, 'French', { signal: controller.signal, onSegments: () => undefined }).catch((e: unknown) => e);
    expect(isAbort(failure)).toBe(true);
  });
});
