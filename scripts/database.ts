/**
 * Which database a console command (`npm run worker`, `npm run admin`) uses: DATABASE_URL; else
 * the embedded one `npm start` is running on this machine (it leaves its URL in DATA_DIR); else,
 * when `startEmbedded`, the embedded one opened here for as long as the command runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { dataDir, embeddedUrlFile } from '../lib/config.ts';
import { makeDataDirPrivate } from '../lib/storage/private-data-dir.ts';

export async function useScriptDatabase(opts: { startEmbedded: boolean }): Promise<{ stop(): Promise<void> }> {
  makeDataDirPrivate();
  const none = { stop: async () => {} };
  if (process.env.DATABASE_URL) return none;
  const url = fs.existsSync(embeddedUrlFile()) ? fs.readFileSync(embeddedUrlFile(), 'utf8').trim() : '';
  if (url) {
    process.env.DATABASE_URL = url;
    return none;
  }
  if (!opts.startEmbedded) throw new Error('Set DATABASE_URL, or start the app with `npm start` first (it runs the embedded database).');
  const { startEmbeddedPostgres } = await import('../lib/db/embedded.ts');
  const { applyMigrations } = await import('../lib/db/migrate.ts');
  const embedded = await startEmbeddedPostgres(path.join(dataDir(), 'postgres'));
  process.env.DATABASE_URL = embedded.url;
  await applyMigrations(embedded.url);
  return embedded;
}
