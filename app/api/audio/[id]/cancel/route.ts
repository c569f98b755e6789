import { ownerJobAction } from '@/lib/jobs/owner-action-route';

export const runtime = 'nodejs';

type Params = { params: Promise<{ id: string }> };

// POST /api/audio/:id/cancel – stop transcribing the caller's recording (it can be retried later)
export function POST(_request: Request, { params }: Params) {
  return ownerJobAction(params, 'audio', 'cancel');
}
