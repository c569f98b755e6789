import { ownerJobAction } from '@/lib/jobs/owner-action-route';

export const runtime = 'nodejs';

type Params = { params: Promise<{ id: string }> };

// POST /api/videos/:id/cancel – stop processing the caller's video (it can be retried later)
export function POST(_request: Request, { params }: Params) {
  return ownerJobAction(params, 'video', 'cancel');
}
