import { enforceRateLimit } from '@/lib/auth/rate-limit';
import { continueBatch, stopBatch } from '@/lib/batch/control';
import { ownedBatchFromRoute } from '@/lib/batch/owner';
import { batchSummary } from '@/lib/batch/view';
import { getBatch } from '@/lib/db/batches';
import { errorResponse } from '@/lib/errors';

const actions = {
  cancel: stopBatch,
  resume: (id: string) => continueBatch(id, { retryFailed: false }),
  retryFailed: (id: string) => continueBatch(id, { retryFailed: true }),
};

/** The handler behind POST /api/batches/:id/{cancel,resume,retry-failed}: answered with the batch as it is next. */
export async function batchAction(params: Promise<{ id: string }>, action: keyof typeof actions): Promise<Response> {
  try {
    const { batch, userId } = await ownedBatchFromRoute(params);
    await enforceRateLimit('jobs', userId);
    await actions[action](batch.id);
    return Response.json({ batch: await batchSummary((await getBatch(batch.id))!) });
  } catch (error) {
    return errorResponse(error);
  }
}
