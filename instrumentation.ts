const SWEEP_INTERVAL_MS = 60 * 60 * 1000;
// Longer than any answer can run (the answering routes' maxDuration is 300 s).
const LONGEST_ANSWER_MS = 10 * 60 * 1000;
const IDLE_GUEST_MS = 7 * 24 * 60 * 60 * 1000;

// Runs once when a server process starts: tidies what a previous process could not finish.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || !process.env.DATABASE_URL) return;
  const { abandonUnfinishedAnswers } = await import('@/lib/db/messages');
  const { sweepUnsentUploads } = await import('@/lib/uploads/image');
  const { deleteIdleGuests } = await import('@/lib/db/users');
  const { sweepAbandonedDirectUploads } = await import('@/lib/uploads/direct');
  const { deleteUnusedTranscripts } = await import('@/lib/db/transcripts');
  const { sweepTempFiles } = await import('@/lib/storage/temp');

  // With REDIS_URL the app may run as several instances: the others' answers are still being written.
  const severalInstances = Boolean(process.env.REDIS_URL);
  const longAgo = () => new Date(Date.now() - LONGEST_ANSWER_MS);
  const count = await abandonUnfinishedAnswers(severalInstances ? longAgo() : undefined).catch((error) => {
    console.error('could not close unfinished answers', error);
    return 0;
  });
  if (count > 0) console.log(`glimpse: marked ${count} unfinished answer(s) as interrupted by the restart`);

  const sweep = async () => {
    // Before anything else: a crash may have left gigabytes of half-received uploads.
    await sweepTempFiles().catch((error) => console.error('could not sweep temporary files', error));
    // An instance that stopped while others ran left its answers spinning.
    await abandonUnfinishedAnswers(longAgo()).catch((error) => console.error('could not close abandoned answers', error));
    await sweepUnsentUploads().catch((error) => console.error('could not sweep unsent uploads', error));
    await sweepAbandonedDirectUploads().catch((error) => console.error('could not sweep abandoned direct uploads', error));
    await deleteIdleGuests(new Date(Date.now() - IDLE_GUEST_MS)).catch((error) => console.error('could not remove idle guests', error));
    // After the uploads and guests above went: what was said in them goes with them.
    await deleteUnusedTranscripts(new Date(Date.now() - SWEEP_INTERVAL_MS)).catch((error) => console.error('could not remove unused transcripts', error));
  };
  void sweep();
  if (severalInstances) {
    // Stop from a browser served by another instance reaches answers written here.
    const { joinAnswerStreams } = await import('@/lib/chat/resumable');
    await joinAnswerStreams().catch((error) => console.error('could not connect to Redis for answers', error));
  }
  setInterval(sweep, SWEEP_INTERVAL_MS).unref();

  // Videos and recordings are processed in this process unless workers run elsewhere (`npm run worker`).
  if (process.env.WORKER_IN_PROCESS !== '0') {
    const { startWorkers } = await import('@/lib/jobs/worker');
    await startWorkers().catch((error) => console.error('could not start the job worker', error));
  }
}
