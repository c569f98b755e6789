import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Hex SHA-256: the content address that lets identical uploads share one stored blob. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The same for a file on disk, read as a stream (hours of decoded audio do not fit in memory comfortably). */
export async function sha256OfFile(file: string): Promise<string> {
  const digest = createHash('sha256');
  for await (const chunk of createReadStream(file)) digest.update(chunk as Buffer);
  return digest.digest('hex');
}
