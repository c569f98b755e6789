import { batchAction } from '@/lib/batch/action-route';

export const runtime = 'nodejs';

// POST /api/batches/:id/cancel – stop the caller's batch; finished images keep their results
export const POST = batchAction('cancel');
