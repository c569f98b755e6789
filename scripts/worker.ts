/**
 * `npm run worker`: processes queued jobs (videos, recordings, image batches) without serving pages, so the heavy work can run
 * on other machines. Set DATABASE_URL (and the blob and model settings) as for the app; on the
 * app's own machine with the embedded database, it connects to the one `npm start` is running.
 */
import { useScriptDatabase } from './database.ts';

await useScriptDatabase({ startEmbedded: false });

const { startWorkers } = await import('../lib/jobs/worker.ts');
const { stopJobQueue } = await import('../lib/jobs/boss.ts');

const { sweepTempFiles } = await import('../lib/storage/temp.ts');
await sweepTempFiles();
await startWorkers();
console.log('glimpse worker: waiting for jobs');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log('glimpse worker: finishing the current job, then stopping');
    void stopJobQueue().finally(() => process.exit(0));
  });
}
