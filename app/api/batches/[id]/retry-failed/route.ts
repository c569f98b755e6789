import { batchAction } from '@/lib/batch/action-route';

export const runtime = 'nodejs';

// POST /api/batches/:id/retry-failed – run the caller's batch again for its failed images only
export async function POST(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  return batchAction(params, 'retryFailed');
}
