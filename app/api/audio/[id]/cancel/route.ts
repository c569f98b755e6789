import { ownerJobAction } from '@/lib/jobs/owner-action-route';

export const runtime = 'nodejs';

// POST /api/audio/:id/cancel – stop transcribing the caller's recording (it can be retried later)
export const POST = ownerJobAction('audio', 'cancel');
