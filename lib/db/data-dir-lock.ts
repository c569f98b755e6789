import fs from 'node:fs';
import path from 'node:path';
import { processAlive } from '../process-alive';


/**
 * PGlite corrupts a data directory that two processes open at once, and nothing in it prevents
 * that: a pid file does. A lock left by a process that died is taken over.
 * Returns the function that releases the lock.
 */
export function lockDataDir(dir: string): () => void {
  const file = path.join(dir, 'glimpse.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(fs.readFileSync(file, 'utf8'));
      if (holder && holder !== process.pid && processAlive(holder)) {
        throw new Error(`The embedded database in ${dir} is already open in process ${holder}. Stop that process, or use another DATA_DIR.`);
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not lock ${dir}`);
}
