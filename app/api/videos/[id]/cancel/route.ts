import { ownerJobAction } from '@/lib/jobs/owner-action-route';

export const runtime = 'nodejs';

// POST /api/videos/:id/cancel – stop processing the caller's video (it can be retried later)
export const POST = ownerJobAction('video', 'cancel');
