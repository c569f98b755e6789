/**
 * Newline-delimited JSON as it arrives over the network: chunks end anywhere, mid-line and even
 * mid-character, so a line is held back until its newline comes (or the stream ends).
 */
export class LineSplitter {
  private rest = '';

  /** The lines `chunk` completes, without their line breaks; blank lines are skipped. */
  push(chunk: string): string[] {
    const lines = (this.rest + chunk).split('\n');
    this.rest = lines.pop() ?? '';
    return lines.flatMap(cleanLine);
  }

  /** What is left once the stream has ended: a last line without a newline after it. */
  end(): string[] {
    const last = this.rest;
    this.rest = '';
    return cleanLine(last);
  }
}

function cleanLine(line: string): string[] {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  return text.trim() === '' ? [] : [text];
}

const unreadable = 'The server sent an answer that could not be read. Try again.';

function parseLine<T>(line: string): T {
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new Error(unreadable);
  }
}

/**
 * The values of an NDJSON body, a batch per network chunk (so a caller can update the page once
 * per batch, not once per line). Bytes are decoded as a stream, so a character split across two
 * chunks comes out whole.
 */
export async function* readNdjson<T>(body: ReadableStream<Uint8Array>): AsyncGenerator<T[]> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const lines = new LineSplitter();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const batch = lines.push(decoder.decode(value, { stream: true }));
      if (batch.length > 0) yield batch.map((line) => parseLine<T>(line));
    }
    const last = lines.push(decoder.decode()).concat(lines.end());
    if (last.length > 0) yield last.map((line) => parseLine<T>(line));
  } finally {
    // Stops the download when the caller stops reading early; harmless once the body has ended.
    void reader.cancel().catch(() => undefined);
  }
}
