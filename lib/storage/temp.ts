import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { dataDir } from '@/lib/config';
import { processAlive } from '@/lib/process-alive';

/**
 * Temporary files (uploads on their way in, downloads of remote blobs, transcodes) live in a folder
 * of this process's own under DATA_DIR/tmp, named `<pid>-<random>`. The process removes it when it
 * exits; after a crash, the next sweep sees its process is gone and removes it then.
 */
const own = `${process.pid}-${randomUUID().slice(0, 8)}`;
let cleanupRegistered = false;

const tmpRoot = () => path.join(dataDir(), 'tmp');

/** A fresh path for a file ffmpeg reads or writes; the caller removes it when done. */
export async function newTempFile(prefix: string, extension = ''): Promise<string> {
  const dir = path.join(tmpRoot(), own);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return path.join(dir, `${prefix}-${randomUUID()}${extension}`);
}

// Nothing a live process does keeps a folder unchanged this long (jobs are capped far below), so
// after it a folder whose process id was reused by another program goes too.
const STALE_MS = 24 * 60 * 60 * 1000;
// A file directly in DATA_DIR/tmp is from before folders per process: no live upload leaves one
// unwritten for an hour.
const LOOSE_MS = 60 * 60 * 1000;

/** The folder's process is gone. One with our pid but another name is an earlier run's (pids restart in a container). */
function ownerGone(name: string): boolean {
  const pid = Number(/^(\d+)-/.exec(name)?.[1]);
  return !pid || pid === process.pid || !processAlive(pid);
}

/** Removes what processes that are gone left in DATA_DIR/tmp; returns how many entries went. */
export async function sweepTempFiles(now = Date.now()): Promise<number> {
  const entries = await readdir(tmpRoot(), { withFileTypes: true }).catch(() => []);
  let removed = 0;
  for (const entry of entries) {
    if (entry.name === own) continue;
    const full = path.join(tmpRoot(), entry.name);
    const info = await stat(full).catch(() => null);
    if (!info) continue;
    const age = now - info.mtimeMs;
    const leftBehind = entry.isDirectory() ? ownerGone(entry.name) || age > STALE_MS : age > LOOSE_MS;
    if (!leftBehind) continue;
    await rm(full, { recursive: true, force: true });
    removed++;
  }
  return removed;
}
