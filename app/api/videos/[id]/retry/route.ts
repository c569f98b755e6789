import { ownerJobAction } from '@/lib/jobs/owner-action-route';

export const runtime = 'nodejs';

// POST /api/videos/:id/retry – process the caller's failed or canceled video again, from where it stopped
export const POST = ownerJobAction('video', 'retry');
