import { batchAction } from '@/lib/batch/action-route';

export const runtime = 'nodejs';

// POST /api/batches/:id/resume – continue the caller's canceled batch with the images not yet done
export const POST = batchAction('resume');
