import fs from 'node:fs';
import path from 'node:path';
import { dataDir } from '@/lib/config';

// Present once everything DATA_DIR held before it was kept private has been made private too.
const MARKER = '.private-v1';

/**
 * DATA_DIR holds the embedded database, the blobs, the auth secret and the database's URL (with
 * its password): only this user may read it. The folder is 0700 and, through the umask, whatever
 * this process and its children create is 0600 / 0700. What an older version left readable by
 * others is tightened once.
 */
export function makeDataDirPrivate(): string {
  const dir = dataDir();
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  process.umask(0o077);
  if (!fs.existsSync(path.join(dir, MARKER))) {
    tighten(dir);
    fs.writeFileSync(path.join(dir, MARKER), '');
  }
  return dir;
}

function tighten(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) {
      fs.chmodSync(full, 0o700);
      tighten(full);
    } else fs.chmodSync(full, 0o600);
  }
}
