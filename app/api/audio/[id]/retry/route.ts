import { ownerJobAction } from '@/lib/jobs/owner-action-route';

export const runtime = 'nodejs';

type Params = { params: Promise<{ id: string }> };

// POST /api/audio/:id/retry – process the caller's failed or canceled recording again, resuming where it stopped
export function POST(_request: Request, { params }: Params) {
  return ownerJobAction(params, 'audio', 'retry');
}
