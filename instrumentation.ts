// Runs once when a server process starts.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || !process.env.DATABASE_URL) return;
  const { abandonUnfinishedAnswers } = await import('@/lib/db/messages');
  const count = await abandonUnfinishedAnswers().catch((error) => {
    console.error('could not close unfinished answers', error);
    return 0;
  });
  if (count > 0) console.log(`glimpse: marked ${count} unfinished answer(s) as interrupted by the restart`);
}
