/**
 * `npm run worker`: processes queued jobs (videos, recordings, image batches) without serving pages, so the heavy work can run
 * on other machines. Set DATABASE_URL (and the blob and model settings) as for the app; on the
 * app's own machine with the embedded database, it connects to the one `npm start` is running.
 */
import fs from 'node:fs';
import { embeddedUrlFile } from '../lib/config.ts';

if (!process.env.DATABASE_URL) {
  const url = fs.existsSync(embeddedUrlFile()) ? fs.readFileSync(embeddedUrlFile(), 'utf8').trim() : '';
  if (!url) throw new Error('Set DATABASE_URL, or start the app with `npm start` first (it runs the embedded database).');
  process.env.DATABASE_URL = url;
}

const { startWorkers } = await import('../lib/jobs/worker.ts');
const { stopJobQueue } = await import('../lib/jobs/boss.ts');

await startWorkers();
console.log('glimpse worker: waiting for jobs');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log('glimpse worker: finishing the current job, then stopping');
    void stopJobQueue().finally(() => process.exit(0));
  });
}
