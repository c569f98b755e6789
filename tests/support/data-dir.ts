import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, vi } from 'vitest';

/**
 * A fresh DATA_DIR with the local blob store for this test file. Registered before the file's
 * own hooks, so it is in place before the first getBlobStore() call (which memoizes its root).
 */
export function useLocalDataDir(prefix: string): { readonly dir: string; blobPath(key: string): string; tempFiles(): Promise<string[]> } {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), `glimpse-${prefix}-`));
    vi.stubEnv('DATA_DIR', dir);
    vi.stubEnv('BLOB_READ_WRITE_TOKEN', undefined);
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await rm(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    blobPath: (key: string) => path.join(dir, 'blobs', ...key.split('/')),
    /** Temporary files left under DATA_DIR/tmp (in any process's folder): none once work is done. */
    tempFiles: async () =>
      (await readdir(path.join(dir, 'tmp'), { recursive: true, withFileTypes: true }).catch(() => [])).filter((e) => e.isFile()).map((e) => e.name),
  };
}
