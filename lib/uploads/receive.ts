import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError, formatBytes } from '@/lib/errors';

/**
 * Streams an upload's body to `file`, hashing as it goes (memory stays constant whatever its size);
 * refuses, and stops reading, past `maxBytes`. `noun` names the file in the message ("video").
 */
export async function receiveToFile(
  body: ReadableStream<Uint8Array>,
  file: string,
  { maxBytes, noun }: { maxBytes: number; noun: string },
): Promise<{ hash: string; bytes: number }> {
  const digest = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        done(new AppError('too_large', `This ${noun} is larger than ${formatBytes(maxBytes)}, the limit per ${noun}.`));
        return;
      }
      digest.update(chunk);
      done(null, chunk);
    },
  });
  await pipeline(Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>), meter, createWriteStream(file));
  if (bytes === 0) throw new AppError('empty_file', 'This file is empty (0 bytes).');
  return { hash: digest.digest('hex'), bytes };
}
