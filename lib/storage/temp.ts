import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { dataDir } from '@/lib/config';

/**
 * A fresh path under DATA_DIR/tmp for a file ffmpeg reads or writes (uploads on their way in,
 * downloads of remote blobs, transcodes). The caller removes it when done.
 */
export async function newTempFile(prefix: string, extension = ''): Promise<string> {
  const dir = path.join(dataDir(), 'tmp');
  await mkdir(dir, { recursive: true });
  return path.join(dir, `${prefix}-${randomUUID()}${extension}`);
}
