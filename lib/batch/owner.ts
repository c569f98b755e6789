import { currentUserId } from '@/lib/auth/session';
import { getOwnedBatch } from '@/lib/db/batches';
import { AppError, notFoundMessage } from '@/lib/errors';
import { idParams } from '@/lib/http-schemas';
import { parseParams } from '@/lib/http';

/** The caller's batch named by the route, or a 404 that says the same for someone else's (or to no one). */
export async function ownedBatchFromRoute(params: Promise<{ id: string }>) {
  const { id } = await parseParams(params, idParams, notFoundMessage.batch);
  const userId = await currentUserId();
  const batch = userId ? await getOwnedBatch(userId, id) : null;
  if (!batch) throw new AppError('not_found', notFoundMessage.batch);
  return { batch, userId: batch.userId };
}
