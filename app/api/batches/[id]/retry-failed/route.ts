import { batchAction } from '@/lib/batch/action-route';

export const runtime = 'nodejs';

// POST /api/batches/:id/retry-failed – run the caller's batch again for its failed images only
export const POST = batchAction('retryFailed');
