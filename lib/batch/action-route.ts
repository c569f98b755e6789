import { enforceRateLimit } from '@/lib/auth/rate-limit';
import { continueBatch, stopBatch } from '@/lib/batch/control';
import { ownedBatchFromRoute } from '@/lib/batch/owner';
import { batchSummary } from '@/lib/batch/view';
import { getBatch } from '@/lib/db/batches';
import { route } from '@/lib/http';

const actions = {
  cancel: stopBatch,
  resume: (id: string) => continueBatch(id, { retryFailed: false }),
  retryFailed: (id: string) => continueBatch(id, { retryFailed: true }),
};

/** The handler behind POST /api/batches/:id/{cancel,resume,retry-failed}: answered with the batch as it is next. */
export function batchAction(action: keyof typeof actions) {
  return route(async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const { batch, userId } = await ownedBatchFromRoute(params);
    await enforceRateLimit('jobs', userId);
    await actions[action](batch.id);
    return Response.json({ batch: await batchSummary((await getBatch(batch.id))!) });
  });
}
