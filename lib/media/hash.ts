import { createHash } from 'node:crypto';

/** Hex SHA-256: the content address that lets identical uploads share one stored blob. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
