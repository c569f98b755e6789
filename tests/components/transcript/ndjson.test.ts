import { describe, expect, it } from 'vitest';
import { LineSplitter, readNdjson } from '@/components/transcript/ndjson';

describe('LineSplitter', () => {
  it('holds a line split across chunks until its newline arrives', () => {
    const lines = new LineSplitter();
    expect(lines.push('{"a":1}\n{"b"')).toEqual(['{"a":1}']);
    expect(lines.push(':2')).toEqual([]);
    expect(lines.push('}\n{"c":3}\n')).toEqual(['{"b":2}', '{"c":3}']);
    expect(lines.end()).toEqual([]);
  });

  it('gives back a last line without a newline at the end, and skips blank lines and CRs', () => {
    const lines = new LineSplitter();
    expect(lines.push('one\r\n\n  \ntw')).toEqual(['one']);
    expect(lines.push('o')).toEqual([]);
    expect(lines.end()).toEqual(['two']);
    expect(lines.end()).toEqual([]);
  });

  it('splits on a chunk that is only a newline', () => {
    const lines = new LineSplitter();
    expect(lines.push('x')).toEqual([]);
    expect(lines.push('\n')).toEqual(['x']);
  });
});

function streamOf(chunks: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      controller.close();
    },
  });
}

async function collect<T>(body: ReadableStream<Uint8Array>): Promise<T[][]> {
  const batches: T[][] = [];
  for await (const batch of readNdjson<T>(body)) batches.push(batch);
  return batches;
}

describe('readNdjson', () => {
  it('parses values a batch per chunk, across lines split anywhere', async () => {
    const body = streamOf(['{"type":"segment","index":1,"text":"Bonjour"}\n{"type":"seg', 'ment","index":0,"text":"Salut"}\n', '{"type":"done"}']);
    expect(await collect(body)).toEqual([
      [{ type: 'segment', index: 1, text: 'Bonjour' }],
      [{ type: 'segment', index: 0, text: 'Salut' }],
      [{ type: 'done' }],
    ]);
  });

  it('keeps a character whose bytes are split across chunks whole', async () => {
    const bytes = new TextEncoder().encode('{"text":"café 東京"}\n');
    const cut = bytes.indexOf(0xa9); // the second byte of "é"
    const kanji = bytes.indexOf(0xe6) + 1; // inside the first kanji
    const body = streamOf([bytes.slice(0, cut), bytes.slice(cut, kanji), bytes.slice(kanji)]);
    expect((await collect<{ text: string }>(body)).flat()).toEqual([{ text: 'café 東京' }]);
  });

  it('throws a readable error on a line that is not JSON', async () => {
    await expect(collect(streamOf(['{"ok":true}\n<html>\n']))).rejects.toThrow(/could not be read/);
  });
});
