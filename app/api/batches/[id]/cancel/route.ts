import { batchAction } from '@/lib/batch/action-route';

export const runtime = 'nodejs';

// POST /api/batches/:id/cancel – stop the caller's batch; finished images keep their results
export async function POST(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  return batchAction(params, 'cancel');
}
