import { ownerJobAction } from '@/lib/jobs/owner-action-route';

export const runtime = 'nodejs';

// POST /api/audio/:id/retry – process the caller's failed or canceled recording again, resuming where it stopped
export const POST = ownerJobAction('audio', 'retry');
