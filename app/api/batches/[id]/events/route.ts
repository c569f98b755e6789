import { batchEventsResponse } from '@/lib/batch/events';
import { ownedBatchFromRoute } from '@/lib/batch/owner';
import { route } from '@/lib/http';

export const runtime = 'nodejs';
export const maxDuration = 300;

// GET /api/batches/:id/events – the caller's batch progress as Server-Sent Events until it ends
export const GET = route(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { batch } = await ownedBatchFromRoute(params);
  return batchEventsResponse(request, batch.id);
});
