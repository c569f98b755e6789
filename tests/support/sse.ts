/** A Server-Sent Events body as a client reads it, checked for framing as it is parsed. */
export interface ReadEvent {
  event: string;
  data: unknown;
}

/**
 * The events of an SSE body: blocks separated by a blank line, each `event: <name>` (default
 * `message`) with one `data:` line of JSON; comment blocks (`: …`) are skipped. Anything else
 * (a block without data, a second data line, a stray field) throws, so a framing slip fails the test.
 */
export function readEvents(body: string): ReadEvent[] {
  if (!body.endsWith('\n\n')) throw new Error(`the stream does not end with a blank line: ${JSON.stringify(body.slice(-40))}`);
  return body
    .slice(0, -2)
    .split('\n\n')
    .filter((block) => !block.split('\n').every((line) => line.startsWith(':')))
    .map((block) => {
      const fields = block.split('\n').map((line) => /^(event|data): (.*)$/.exec(line) ?? (() => { throw new Error(`not an SSE field: ${JSON.stringify(line)}`); })());
      const data = fields.filter((f) => f[1] === 'data');
      const names = fields.filter((f) => f[1] === 'event');
      if (data.length !== 1 || names.length > 1) throw new Error(`an event needs one data line and at most one event line: ${JSON.stringify(block)}`);
      return { event: names[0]?.[2] ?? 'message', data: JSON.parse(data[0][2]) };
    });
}
